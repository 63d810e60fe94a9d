package io.codegloss.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard as a person sees it in a browser: what the page shows, read from the DOM and the
 * chart canvases, never from the API. Reusable by any end-to-end test that has a running dashboard:
 * {@code new DashboardPage(driver, "http://user:pw@127.0.0.1:7070").open()}.
 */
public final class DashboardPage {

  private final WebDriver driver;
  private final String baseUrl;
  private Duration timeout = Duration.ofSeconds(20);

  public DashboardPage(WebDriver driver, String baseUrl) {
    this.driver = driver;
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }

  public DashboardPage withTimeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  /** Loads the page and waits until it follows live updates. */
  public DashboardPage open() {
    driver.get(baseUrl + "/");
    return waitUntilLive();
  }

  public DashboardPage waitUntilLive() {
    wait("the page to go live").until(d -> liveStatus().startsWith("live"));
    return this;
  }

  public String liveStatus() {
    return text(By.id("live-status"));
  }

  /** e.g. "40.0%". */
  public String progressPercent() {
    return text(By.id("progress-percent"));
  }

  /** e.g. "4 of 10 spans enriched in 2 repositories". */
  public String progressDetail() {
    return text(By.id("progress-detail"));
  }

  /** A headline card: enqueued, processing, failed, workers, spans-hour, failed-spans. */
  public String summary(String card) {
    return text(By.cssSelector("[data-testid='summary-" + card + "']"));
  }

  /**
   * One cell of the queue table.
   *
   * @param repository a repository name, or "*" for the totals
   * @param kind batch or single
   * @param state enqueued, processing, succeeded, partial, split, failed or tooLarge
   */
  public long queueCount(String repository, String kind, String state) {
    String cell =
        text(
            By.cssSelector(
                "td[data-testid='queue-cell'][data-repo='"
                    + repository
                    + "'][data-kind='"
                    + kind
                    + "'][data-state='"
                    + state
                    + "']"));
    return Long.parseLong(cell.replace(",", ""));
  }

  /** The progress cell of a repository, e.g. "75.0% 3 / 4 spans". */
  public String repositoryProgress(String repository) {
    return text(By.cssSelector("td[data-testid='repo-progress'][data-repo='" + repository + "']"));
  }

  public String capacityWarning() {
    return fresh(
        () -> {
          WebElement e = driver.findElement(By.id("capacity-warning"));
          return e.isDisplayed() ? e.getText() : "";
        });
  }

  public List<String> workerNames() {
    return fresh(
        () ->
            driver.findElements(By.cssSelector("#workers-table tbody tr[data-worker]")).stream()
                .map(r -> r.getAttribute("data-worker"))
                .toList());
  }

  /** alive, draining, dead or stopped; empty when the worker is not listed. */
  public Optional<String> workerStatus(String name) {
    return fresh(
        () -> {
          List<WebElement> rows = workerRows(name);
          return rows.isEmpty()
              ? Optional.<String>empty()
              : Optional.of(
                  rows.get(0)
                      .findElement(By.cssSelector("[data-testid='worker-status']"))
                      .getText());
        });
  }

  /** The whole row of a worker as shown, cells separated by spaces. */
  public String workerRow(String name) {
    return fresh(
        () -> {
          List<WebElement> rows = workerRows(name);
          return rows.isEmpty() ? "" : rows.get(0).getText();
        });
  }

  public DashboardPage awaitWorkerStatus(String name, String status) {
    wait("worker " + name + " to be shown " + status)
        .until(d -> workerStatus(name).filter(status::equals).isPresent());
    return this;
  }

  public DashboardPage awaitWorkerGone(String name) {
    wait("worker " + name + " to disappear").until(d -> workerStatus(name).isEmpty());
    return this;
  }

  private List<WebElement> workerRows(String name) {
    return driver.findElements(
        By.cssSelector("#workers-table tbody tr[data-worker='" + name + "']"));
  }

  /** Minutes with data in a chart ("spans" or "tokens"), as drawn. */
  public int chartPointsWithData(String chart) {
    return fresh(() -> Integer.parseInt(canvas(chart).getAttribute("data-points")));
  }

  /** Worker/model lines drawn in a chart besides the overall one. */
  public int chartSeries(String chart) {
    return fresh(() -> Integer.parseInt(canvas(chart).getAttribute("data-series")));
  }

  public List<String> chartLegend(String chart) {
    return fresh(
        () ->
            driver.findElements(By.cssSelector("#legend-" + chart + " li")).stream()
                .map(e -> e.getAttribute("data-series"))
                .toList());
  }

  /**
   * Pixels of the canvas painted in the overall line's colour: proof that a line was drawn, not
   * just that data arrived.
   */
  public long chartLinePixels(String chart) {
    Object n =
        ((JavascriptExecutor) driver)
            .executeScript(
                """
                const c = document.getElementById('chart-' + arguments[0]);
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let n = 0;
                for (let i = 0; i < d.length; i += 4) {
                  // #1d4ed8, allowing for anti-aliasing
                  if (d[i + 3] > 200 && Math.abs(d[i] - 29) < 40 && Math.abs(d[i + 1] - 78) < 40
                      && Math.abs(d[i + 2] - 216) < 40) n++;
                }
                return n;
                """,
                chart);
    return ((Number) n).longValue();
  }

  /** A cell of the savings table: mode batch, single or ratio; key e.g. callsPerSpan. */
  public String savings(String mode, String key) {
    return text(By.cssSelector("[data-testid='savings-" + mode + "-" + key + "']"));
  }

  public String savingsSentence() {
    return text(By.id("savings-sentence"));
  }

  public List<String> failedCallRows() {
    return rowsText("#failed-calls tbody tr[data-call]");
  }

  public List<String> failedSpanRows() {
    return rowsText("#failed-spans tbody tr[data-span]");
  }

  public List<String> failedJobRows() {
    return rowsText("#failed-jobs tbody tr[data-job]");
  }

  /** Every link to a JobRunr job page shown on the page. */
  public List<String> jobLinks() {
    return fresh(
        () ->
            driver.findElements(By.cssSelector("a[data-testid='job-link']")).stream()
                .map(a -> a.getAttribute("href"))
                .toList());
  }

  /** Waits until {@code condition} holds on this page (the page updates itself). */
  public DashboardPage await(String what, java.util.function.Predicate<DashboardPage> condition) {
    wait(what).until(d -> condition.test(this));
    return this;
  }

  public Path screenshot(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
      Files.write(file, png);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private WebElement canvas(String chart) {
    return driver.findElement(By.id("chart-" + chart));
  }

  private List<String> rowsText(String css) {
    return fresh(
        () -> driver.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList());
  }

  private String text(By by) {
    return fresh(() -> driver.findElement(by).getText().trim());
  }

  /**
   * Reads again when the page redrew the element between finding and reading it: the page updates
   * itself every few seconds.
   */
  private <T> T fresh(java.util.function.Supplier<T> read) {
    for (int attempt = 1; ; attempt++) {
      try {
        return read.get();
      } catch (org.openqa.selenium.StaleElementReferenceException e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }

  private WebDriverWait wait(String what) {
    WebDriverWait w = new WebDriverWait(driver, timeout, Duration.ofMillis(200));
    w.withMessage("waiting for " + what);
    w.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    w.ignoring(org.openqa.selenium.NoSuchElementException.class);
    w.ignoring(NumberFormatException.class);
    return w;
  }
}
