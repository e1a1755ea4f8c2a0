package dev.berth.core.outbound;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A block of IP addresses in CIDR notation ({@code 169.254.0.0/16}, {@code fe80::/10}); a bare
 * address is a block of one. Parsing never resolves a name.
 */
public record AddressRange(byte[] network, int prefix, String text) {
  /**
   * Parses {@code text}; throws {@link IllegalArgumentException} naming what is wrong when it is
   * not an IPv4 or IPv6 literal with an optional prefix length.
   */
  public static AddressRange parse(String text) {
    String t = text.strip();
    int slash = t.indexOf('/');
    String addr = slash < 0 ? t : t.substring(0, slash);
    if (!addr.matches("[0-9a-fA-F:.]+") || !(addr.contains(".") || addr.contains(":"))) {
      throw new IllegalArgumentException(
          "'" + text + "' is not an address block such as 169.254.0.0/16 or fe80::/10");
    }
    byte[] bytes;
    try {
      bytes = InetAddress.getByName(addr).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("'" + text + "' is not an IP address", e);
    }
    int max = bytes.length * 8;
    int prefix;
    try {
      prefix = slash < 0 ? max : Integer.parseInt(t.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' has no number after '/'", e);
    }
    if (prefix < 0 || prefix > max) {
      throw new IllegalArgumentException(
          "'" + text + "': the prefix length must be between 0 and " + max);
    }
    return new AddressRange(bytes, prefix, t);
  }

  /** Whether {@code address} lies in this block (an IPv4 address never lies in an IPv6 block). */
  public boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    if (a.length != network.length) {
      return false;
    }
    int shift = a.length * 8 - prefix;
    BigInteger mine = new BigInteger(1, network).shiftRight(shift);
    BigInteger theirs = new BigInteger(1, a).shiftRight(shift);
    return mine.equals(theirs);
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AddressRange r && r.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}
