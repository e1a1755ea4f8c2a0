package dev.berth.runtime.local;

/**
 * The part of the supervision shim that stores each line a container writes with its time and
 * stream ({@link dev.berth.core.runtime.LogLine}'s CRI form). The container's stdout and stderr go
 * into two FIFOs next to the exit file; one small Perl process (started by the shim, so it outlives
 * Berth as the container does) reads both, stamps each line with the wall-clock time in nanoseconds
 * (whole seconds when Perl's Time::HiRes is missing) and appends it to the console log. A line
 * longer than 64 KiB is stored in parts marked {@code P}. Without Perl on the host the container
 * writes to the log directly, unstamped, as before.
 */
final class LogStamper {
  private LogStamper() {}

  /**
   * The Perl program: arguments are the stdout FIFO and the stderr FIFO; output goes to its stdout.
   */
  static final String PERL =
      """
      use strict; my $hi = eval { require Time::HiRes; 1 }; $| = 1;
      open(my $o, "<", $ARGV[0]) or die "$ARGV[0]: $!"; open(my $e, "<", $ARGV[1]) or die "$ARGV[1]: $!";
      my %fh = (stdout => $o, stderr => $e); my %buf = (stdout => "", stderr => "");
      sub ts { my $t = $hi ? Time::HiRes::time() : time(); my $s = int($t); my @g = gmtime($s);
        sprintf("%04d-%02d-%02dT%02d:%02d:%02d.%09dZ", $g[5] + 1900, $g[4] + 1, $g[3], $g[2], $g[1], $g[0], int(($t - $s) * 1e9)) }
      while (%fh) {
        my $rin = ""; vec($rin, fileno($fh{$_}), 1) = 1 for keys %fh;
        my $n = select(my $rout = $rin, undef, undef, undef); next if $n < 0;
        for my $s (keys %fh) {
          next unless vec($rout, fileno($fh{$s}), 1);
          my $r = sysread($fh{$s}, my $chunk, 65536);
          if (!$r) { print ts(), " $s F $buf{$s}\\n" if length $buf{$s}; delete $fh{$s}; next }
          $buf{$s} .= $chunk;
          while ($buf{$s} =~ s/^([^\\n]*)\\n//) { print ts(), " $s F $1\\n" }
          while (length($buf{$s}) > 65536) { print ts(), " $s P ", substr($buf{$s}, 0, 65536, ""), "\\n" }
        }
      }
      """;

  /**
   * The shim's shell: {@code $1} the exit file, then the command. Runs the command with stdout and
   * stderr through the stamper when Perl is there, then writes the exit status atomically.
   */
  static final String SHIM =
      """
      f=$1; shift
      if command -v perl >/dev/null 2>&1; then
        rm -f "$f.stdout" "$f.stderr"; mkfifo "$f.stdout" "$f.stderr"
        perl - "$f.stdout" "$f.stderr" <<'BERTH_STAMPER' &
      """
          + PERL
          + """
      BERTH_STAMPER
        "$@" >"$f.stdout" 2>"$f.stderr"; s=$?
        wait; rm -f "$f.stdout" "$f.stderr"
      else
        "$@"; s=$?
      fi
      echo $s > "$f.tmp" && mv "$f.tmp" "$f"
      """;
}
