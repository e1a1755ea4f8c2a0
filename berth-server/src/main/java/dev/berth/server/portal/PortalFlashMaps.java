package dev.berth.server.portal;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.FlashMap;
import org.springframework.web.servlet.FlashMapManager;
import org.springframework.web.servlet.support.SessionFlashMapManager;

/**
 * Flash messages ("Created web", "instance web-1 deleted") are for the page the browser goes to
 * after an action. A live region's background refresh (an htmx request, header {@code HX-Request})
 * to the same page may arrive first; it must not take the message away from that page.
 */
@Configuration(proxyBeanMethods = false)
public class PortalFlashMaps {
  @Bean(name = DispatcherServlet.FLASH_MAP_MANAGER_BEAN_NAME)
  FlashMapManager flashMapManager() {
    return new SessionFlashMapManager() {
      @Override
      protected java.util.List<FlashMap> retrieveFlashMaps(HttpServletRequest request) {
        return request.getHeader("HX-Request") != null ? null : super.retrieveFlashMaps(request);
      }
    };
  }
}
