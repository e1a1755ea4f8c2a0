package dev.berth.oci.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.Digests;
import dev.berth.oci.ImageContentException;
import dev.berth.oci.testing.TestLayer;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerUnpackerTest {
  static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  @TempDir Path tmp;
  Path root;
  Path outside;
  final LayerUnpacker unpacker = new LayerUnpacker();

  @BeforeEach
  void dirs() throws Exception {
    root = Files.createDirectory(tmp.resolve("rootfs"));
    outside = Files.createDirectory(tmp.resolve("outside"));
  }

  String apply(TestLayer layer) {
    return unpacker.apply(new ByteArrayInputStream(layer.tarGz()), root);
  }

  static int mode(Path p) throws Exception {
    return (int) Files.getAttribute(p, "unix:mode", NOFOLLOW) & 07777;
  }

  @Test
  void unpacksFilesDirectoriesAndModesAndReturnsTheDiffId() throws Exception {
    TestLayer layer =
        TestLayer.create()
            .mtime(Instant.parse("2020-02-02T00:00:00Z"))
            .dir("usr/bin", 0755)
            .file("usr/bin/tool", "#!/bin/sh\n", 0755)
            .file("usr/bin/su", "su", 04755)
            .file("usr/bin/wall", "wall", 02711)
            .dir("scratch", 01777);

    String diffId = apply(layer);

    assertThat(diffId).isEqualTo(Digests.sha256(layer.tar()));
    assertThat(root.resolve("usr/bin/tool")).hasContent("#!/bin/sh\n");
    assertThat(mode(root.resolve("usr/bin/tool"))).isEqualTo(0755);
    assertThat(mode(root.resolve("usr/bin/su"))).isEqualTo(04755);
    assertThat(mode(root.resolve("usr/bin/wall"))).isEqualTo(02711);
    assertThat(mode(root.resolve("scratch"))).isEqualTo(01777);
    assertThat(Files.getLastModifiedTime(root.resolve("usr/bin/tool")))
        .isEqualTo(FileTime.from(Instant.parse("2020-02-02T00:00:00Z")));
    assertThat(Files.getLastModifiedTime(root.resolve("usr/bin")))
        .isEqualTo(FileTime.from(Instant.parse("2020-02-02T00:00:00Z")));
  }

  @Test
  void appliesUncompressedTarsToo() {
    unpacker.apply(
        new ByteArrayInputStream(TestLayer.create().file("a", "plain", 0644).tar()), root);

    assertThat(root.resolve("a")).hasContent("plain");
  }

  @Test
  void setsOwnersOfFilesDirectoriesAndSymlinks() throws Exception {
    apply(
        TestLayer.create()
            .owner(65534, 65534)
            .dir("home/nobody", 0700)
            .file("home/nobody/f", "x", 0600)
            .owner(1000, 100)
            .symlink("home/link", "nobody/f"));

    assertThat(Files.getAttribute(root.resolve("home/nobody"), "unix:uid", NOFOLLOW))
        .isEqualTo(65534);
    assertThat(Files.getAttribute(root.resolve("home/nobody/f"), "unix:gid", NOFOLLOW))
        .isEqualTo(65534);
    assertThat(Files.getAttribute(root.resolve("home/link"), "unix:uid", NOFOLLOW)).isEqualTo(1000);
    assertThat(Files.getAttribute(root.resolve("home/link"), "unix:gid", NOFOLLOW)).isEqualTo(100);
  }

  @Test
  void createsSymlinksAndHardlinksWithoutFollowingThem() throws Exception {
    apply(
        TestLayer.create()
            .file("etc/real", "content", 0644)
            .symlink("etc/rel", "real")
            .symlink("etc/abs", "/etc/real")
            .symlink("etc/dangling", "/nowhere")
            .hardlink("etc/hard", "etc/real"));

    assertThat(Files.readSymbolicLink(root.resolve("etc/rel"))).isEqualTo(Path.of("real"));
    assertThat(Files.readSymbolicLink(root.resolve("etc/abs"))).isEqualTo(Path.of("/etc/real"));
    assertThat(Files.isSymbolicLink(root.resolve("etc/dangling"))).isTrue();
    assertThat(Files.isSameFile(root.resolve("etc/hard"), root.resolve("etc/real"))).isTrue();
    assertThat(Files.getAttribute(root.resolve("etc/real"), "unix:nlink")).isEqualTo(2);
  }

  @Test
  void whiteoutDeletesLowerFileAndDirectory() {
    apply(
        TestLayer.create()
            .file("etc/keep", "k", 0644)
            .file("etc/gone", "g", 0644)
            .file("var/lib/x/y", "y", 0644));

    apply(TestLayer.create().whiteout("etc/gone").whiteout("var/lib/x"));

    assertThat(root.resolve("etc/keep")).exists();
    assertThat(root.resolve("etc/gone")).doesNotExist();
    assertThat(root.resolve("var/lib/x")).doesNotExist();
    assertThat(root.resolve("var/lib")).isDirectory();
    assertThat(root.resolve("etc/.wh.gone")).doesNotExist();
  }

  @Test
  void whiteoutOfASymlinkDeletesTheLinkNotItsTarget() throws Exception {
    Files.writeString(outside.resolve("precious"), "keep me");
    apply(TestLayer.create().symlink("link", outside.resolve("precious").toString()));

    apply(TestLayer.create().whiteout("link"));

    assertThat(Files.exists(root.resolve("link"), NOFOLLOW)).isFalse();
    assertThat(outside.resolve("precious")).hasContent("keep me");
  }

  @Test
  void opaqueDirectoryHidesLowerContentButKeepsThisLayers() {
    apply(
        TestLayer.create()
            .file("app/old1", "1", 0644)
            .file("app/sub/old2", "2", 0644)
            .file("other", "o", 0644));

    apply(
        TestLayer.create()
            .file("app/sub/new", "n", 0644)
            .opaque("app")
            .file("app/new2", "n2", 0644));

    assertThat(root.resolve("app/old1")).doesNotExist();
    assertThat(root.resolve("app/sub/old2")).doesNotExist();
    assertThat(root.resolve("app/sub/new")).hasContent("n");
    assertThat(root.resolve("app/new2")).hasContent("n2");
    assertThat(root.resolve("other")).exists();
    assertThat(root.resolve("app/.wh..wh..opq")).doesNotExist();
  }

  @Test
  void upperEntryReplacesLowerOfAnotherType() throws Exception {
    apply(
        TestLayer.create()
            .file("x/inner", "i", 0644)
            .file("y", "file", 0644)
            .file("z", "z", 0644)
            .hardlink("zz", "z"));

    apply(TestLayer.create().file("x", "now a file", 0644).dir("y", 0755).file("zz", "new", 0644));

    assertThat(root.resolve("x")).isRegularFile().hasContent("now a file");
    assertThat(root.resolve("y")).isDirectory();
    assertThat(root.resolve("z")).hasContent("z");
    assertThat(root.resolve("zz")).hasContent("new");
  }

  @Test
  void refusesEntriesWithDotDot() {
    assertThatThrownBy(() -> apply(TestLayer.create().file("../evil", "x", 0644)))
        .isInstanceOf(ImageContentException.class)
        .hasMessageContaining("'..'");
    assertThat(tmp.resolve("evil")).doesNotExist();
  }

  @Test
  void refusesAbsoluteEntryNames() {
    assertThatThrownBy(() -> apply(TestLayer.create().file("/tmp/evil", "x", 0644)))
        .isInstanceOf(ImageContentException.class)
        .hasMessageContaining("absolute");
  }

  @Test
  void refusesWritingThroughASymlinkThatLeadsOutside() {
    assertThatThrownBy(
            () ->
                apply(
                    TestLayer.create()
                        .symlink("escape", "../outside")
                        .file("escape/pwned", "x", 0644)))
        .isInstanceOf(ImageContentException.class)
        .hasMessageContaining("outside the root");
    assertThat(outside.resolve("pwned")).doesNotExist();
  }

  @Test
  void resolvesAbsoluteSymlinkParentsInsideTheRoot() {
    apply(
        TestLayer.create()
            .dir("usr/lib", 0755)
            .symlink("lib", outside.toString())
            .file("lib/inside", "x", 0644));

    assertThat(outside.resolve("inside")).doesNotExist();
    assertThat(root.resolve(outside.toString().substring(1)).resolve("inside")).hasContent("x");
  }

  @Test
  void refusesHardlinksToOutside() {
    assertThatThrownBy(() -> apply(TestLayer.create().hardlink("h", "../outside/x")))
        .isInstanceOf(ImageContentException.class);
  }

  @Test
  void replacesASymlinkEntryInsteadOfWritingThroughIt() throws Exception {
    Files.writeString(outside.resolve("target"), "untouched");
    apply(TestLayer.create().symlink("f", outside.resolve("target").toString()));

    apply(TestLayer.create().file("f", "new", 0644));

    assertThat(outside.resolve("target")).hasContent("untouched");
    assertThat(root.resolve("f")).isRegularFile().hasContent("new");
  }

  @Test
  void skipsFifos() {
    apply(TestLayer.create().fifo("dev/pipe").file("after", "a", 0644));

    assertThat(root.resolve("dev/pipe")).doesNotExist();
    assertThat(root.resolve("after")).exists();
  }

  @Test
  void refusesZstdLayersWithAClearMessage() {
    byte[] zstd = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0, 0, 0, 0};

    assertThatThrownBy(() -> unpacker.apply(new ByteArrayInputStream(zstd), root))
        .isInstanceOf(ImageContentException.class)
        .hasMessageContaining("zstd");
  }
}
