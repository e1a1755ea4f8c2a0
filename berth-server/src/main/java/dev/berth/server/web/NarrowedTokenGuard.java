package dev.berth.server.web;

import dev.berth.server.access.Access;
import dev.berth.server.access.UserAuthentication;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * The last check for API tokens narrowed to one permission: an {@code /api} answer of a call that
 * checked no permission at all (lists of metric names, the API description) is not written for such
 * a token; {@link Access#caller()} refuses it with a 403 naming the narrowing. Calls that check a
 * permission were refused or let through by then already.
 */
@RestControllerAdvice
public class NarrowedTokenGuard implements ResponseBodyAdvice<Object> {
  private final Access access;

  public NarrowedTokenGuard(Access access) {
    this.access = access;
  }

  @Override
  public boolean supports(
      MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
    return true;
  }

  @Override
  public Object beforeBodyWrite(
      Object body,
      MethodParameter returnType,
      MediaType contentType,
      Class<? extends HttpMessageConverter<?>> converterType,
      ServerHttpRequest request,
      ServerHttpResponse response) {
    if (!(body instanceof ProblemDetail)
        && request.getURI().getPath().startsWith("/api/")
        && SecurityContextHolder.getContext().getAuthentication() instanceof UserAuthentication ua
        && ua.scope() != null
        && ua.scope().permission() != null) {
      access.caller();
    }
    return body;
  }
}
