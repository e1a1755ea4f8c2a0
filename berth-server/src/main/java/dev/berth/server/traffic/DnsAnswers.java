package dev.berth.server.traffic;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Answers questions about Berth's own names under {@code berth.}: {@code <app>.<team>.berth} with
 * the addresses of the app's serving instances, {@code <instance>.<app>.<team>.berth} with the one
 * instance's address while it serves. Pure: the names come from a {@link Lookup}.
 */
final class DnsAnswers {
  /** The zone Berth answers for. */
  static final String ZONE = "berth";

  /** Berth's names: the serving addresses of an app or one instance, or empty when no such name. */
  @FunctionalInterface
  interface Lookup {
    /**
     * @param instance null for the whole app
     */
    Optional<List<String>> addresses(String team, String app, String instance);
  }

  private DnsAnswers() {}

  /** Whether {@code name} lies in Berth's zone. */
  static boolean isBerth(Name name) {
    return name.labels() >= 2
        && ZONE.equals(name.getLabelString(name.labels() - 2).toLowerCase(Locale.ROOT));
  }

  /**
   * The answer to a query about a Berth name: NXDOMAIN for a name Berth does not have, the A
   * records (TTL {@code ttlSeconds}) for one it has, no records for other types of an existing
   * name.
   */
  static Message answer(Message query, Lookup lookup, long ttlSeconds) {
    Record question = query.getQuestion();
    Message reply = new Message(query.getHeader().getID());
    reply.getHeader().setFlag(Flags.QR);
    reply.getHeader().setFlag(Flags.AA);
    if (query.getHeader().getFlag(Flags.RD)) {
      reply.getHeader().setFlag(Flags.RD);
    }
    reply.getHeader().setFlag(Flags.RA);
    reply.addRecord(question, Section.QUESTION);
    Optional<List<String>> addresses = addresses(question.getName(), lookup);
    if (addresses.isEmpty()) {
      reply.getHeader().setRcode(Rcode.NXDOMAIN);
      return reply;
    }
    if (question.getType() == Type.A || question.getType() == Type.ANY) {
      for (String ip : addresses.get()) {
        try {
          reply.addRecord(
              new ARecord(question.getName(), DClass.IN, ttlSeconds, InetAddress.getByName(ip)),
              Section.ANSWER);
        } catch (UnknownHostException e) {
          // an instance's address is always a literal; nothing to look up
        }
      }
    }
    return reply;
  }

  /** A reply with only a result code (SERVFAIL, REFUSED, FORMERR). */
  static Message failure(Message query, int rcode) {
    Message reply = new Message(query.getHeader().getID());
    reply.getHeader().setFlag(Flags.QR);
    reply.getHeader().setRcode(rcode);
    if (query.getQuestion() != null) {
      reply.addRecord(query.getQuestion(), Section.QUESTION);
    }
    return reply;
  }

  private static Optional<List<String>> addresses(Name name, Lookup lookup) {
    int labels = name.labels() - 1; // without the root
    String[] parts = new String[labels];
    for (int i = 0; i < labels; i++) {
      parts[i] = name.getLabelString(i).toLowerCase(Locale.ROOT);
    }
    return switch (labels) {
      case 3 -> lookup.addresses(parts[1], parts[0], null);
      case 4 -> lookup.addresses(parts[2], parts[1], parts[0]);
      default -> Optional.empty();
    };
  }
}
