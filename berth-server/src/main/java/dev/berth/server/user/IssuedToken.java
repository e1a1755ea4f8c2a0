package dev.berth.server.user;

/** A token just created: its metadata and the secret, which is shown this once and never again. */
public record IssuedToken(ApiToken token, String secret) {
  @Override
  public String toString() {
    return "IssuedToken[" + token + ", secret=***]";
  }
}
