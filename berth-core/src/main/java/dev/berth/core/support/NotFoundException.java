package dev.berth.core.support;

/** A named resource does not exist. The API answers 404. */
public class NotFoundException extends BerthException {
  private final String kind;
  private final String name;

  public NotFoundException(String kind, String name) {
    super(kind + " '" + name + "' does not exist");
    this.kind = kind;
    this.name = name;
  }

  public String kind() {
    return kind;
  }

  public String name() {
    return name;
  }
}
