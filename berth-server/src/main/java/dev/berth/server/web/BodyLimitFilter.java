package dev.berth.server.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies larger than {@code berth.max-request-body} (default 1MB) with 413 and a
 * problem+json answer, before anything reads them: at once when {@code Content-Length} says so, and
 * while reading a chunked body as soon as it passes the limit. Runs before security, so that an
 * anonymous caller cannot make Berth buffer a large body either. Multipart uploads (image builds)
 * have their own, larger limit: {@code spring.servlet.multipart.max-request-size}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
public class BodyLimitFilter extends OncePerRequestFilter {
  private final long maxDocument;
  private final long maxMultipart;
  private final ObjectMapper mapper;

  public BodyLimitFilter(
      @Value("${berth.max-request-body:1MB}") DataSize maxDocument,
      @Value("${spring.servlet.multipart.max-request-size:10MB}") DataSize maxMultipart,
      ObjectMapper mapper) {
    this.maxDocument = maxDocument.toBytes();
    this.maxMultipart = maxMultipart.toBytes();
    this.mapper = mapper;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String type = request.getContentType();
    boolean multipart = type != null && type.regionMatches(true, 0, "multipart/", 0, 10);
    long max = multipart ? maxMultipart : maxDocument;
    long length = request.getContentLengthLong();
    if (length > max) {
      Problems.write(
          mapper,
          response,
          413,
          "Payload too large",
          multipart ? uploadTooLarge(max) : tooLarge(max));
      return;
    }
    chain.doFilter(length < 0 ? new Limited(request, max) : request, response);
  }

  static String uploadTooLarge(long max) {
    return "the upload is larger than "
        + DataSize.ofBytes(max).toKilobytes()
        + " KB (berth.builds.max-upload-size); send smaller files";
  }

  static String tooLarge(long max) {
    return "the request body is larger than "
        + DataSize.ofBytes(max).toKilobytes()
        + " KB (berth.max-request-body); send a smaller document";
  }

  /**
   * Thrown while reading a chunked body that passes the limit; answered with 413 by {@link
   * ProblemHandler}.
   */
  public static final class BodyTooLargeException extends IOException {
    BodyTooLargeException(long max) {
      super(tooLarge(max));
    }
  }

  private static final class Limited extends HttpServletRequestWrapper {
    private final long max;
    private ServletInputStream in;

    Limited(HttpServletRequest request, long max) {
      super(request);
      this.max = max;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (in == null) {
        in = new Counting(super.getInputStream(), max);
      }
      return in;
    }

    @Override
    public BufferedReader getReader() throws IOException {
      String enc = getCharacterEncoding();
      return new BufferedReader(
          new InputStreamReader(
              getInputStream(), enc == null ? StandardCharsets.UTF_8 : Charset.forName(enc)));
    }
  }

  private static final class Counting extends ServletInputStream {
    private final ServletInputStream in;
    private final long max;
    private long read;

    Counting(ServletInputStream in, long max) {
      this.in = in;
      this.max = max;
    }

    private int count(int n) throws BodyTooLargeException {
      if (n > 0) {
        read += n;
        if (read > max) {
          throw new BodyTooLargeException(max);
        }
      }
      return n;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return count(in.read(b, off, len));
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }
}
