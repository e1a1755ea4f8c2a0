package dev.berth.server.alert;

import dev.berth.core.alert.Receiver;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;

/** Sends a message as plain-text e-mail through the configured SMTP server. */
final class MailNotifier implements Notifier {
  private final AlertProperties.Smtp smtp;

  MailNotifier(AlertProperties.Smtp smtp) {
    this.smtp = smtp;
  }

  @Override
  public String send(Receiver r, String secret, NotificationJson n, String generic)
      throws NotifyException {
    if (smtp.host() == null || smtp.host().isBlank()) {
      throw new NotifyException(
          "not sent: no mail server configured; set berth.alert.smtp.host", false);
    }
    Properties p = new Properties();
    p.put("mail.smtp.host", smtp.host());
    p.put("mail.smtp.port", Integer.toString(smtp.port()));
    p.put("mail.smtp.connectiontimeout", Long.toString(smtp.timeout().toMillis()));
    p.put("mail.smtp.timeout", Long.toString(smtp.timeout().toMillis()));
    p.put("mail.smtp.writetimeout", Long.toString(smtp.timeout().toMillis()));
    p.put("mail.smtp.starttls.required", Boolean.toString(smtp.starttls()));
    p.put("mail.smtp.starttls.enable", Boolean.toString(smtp.starttls()));
    boolean auth = smtp.username() != null && !smtp.username().isBlank();
    p.put("mail.smtp.auth", Boolean.toString(auth));
    Session session = Session.getInstance(p);
    try {
      MimeMessage m = new MimeMessage(session);
      m.setFrom(new InternetAddress(smtp.from()));
      for (String to : r.to()) {
        m.addRecipient(Message.RecipientType.TO, new InternetAddress(to));
      }
      m.setSubject(n.title(), "UTF-8");
      m.setText(n.text() + "\n\nReceiver: " + r.name() + "\n", "UTF-8");
      if (auth) {
        Transport.send(m, smtp.username(), smtp.password());
      } else {
        Transport.send(m);
      }
    } catch (MessagingException e) {
      throw new NotifyException("failed: " + e.getMessage(), true);
    }
    return "delivered to " + String.join(", ", r.to());
  }
}
