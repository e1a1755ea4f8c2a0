package dev.berth.server.charts;

import dev.berth.server.charts.ChartCatalog.Chart;
import dev.berth.server.charts.ChartCatalog.Scope;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * What the chart panel fragment ({@code templates/charts/panel.html}) asks for by bean name, so a
 * page includes charts without its controller knowing about them: {@code ${@charts.of('app')}}.
 */
@Component("charts")
public class ChartsView {
  public List<Chart> of(String scope) {
    return ChartCatalog.charts(Scope.valueOf(scope.toUpperCase(Locale.ROOT)));
  }
}
