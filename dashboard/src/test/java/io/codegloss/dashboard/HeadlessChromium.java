package io.codegloss.dashboard;

import io.codegloss.testing.TestFiles;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium driven by Debian's chromedriver. Both paths are given explicitly so that
 * Selenium Manager never runs (it would try to download a browser and a driver).
 */
public final class HeadlessChromium {

  public static final Path CHROMIUM =
      Path.of(System.getProperty("codegloss.chromium", "/usr/bin/chromium"));
  public static final Path CHROMEDRIVER =
      Path.of(System.getProperty("codegloss.chromedriver", "/usr/bin/chromedriver"));

  private HeadlessChromium() {}

  /** Starts a fresh browser with its own throw-away profile; quit it when done. */
  public static ChromeDriver start() {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      throw new IllegalStateException(
          "end-to-end tests need "
              + CHROMIUM
              + " and "
              + CHROMEDRIVER
              + ": apt-get install -y chromium chromium-driver");
    }
    Path profile;
    try {
      profile = Files.createTempDirectory("codegloss-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1400,2200",
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .withTimeout(Duration.ofSeconds(60))
            .build();
    return new ChromeDriver(service, options) {
      @Override
      public void quit() {
        try {
          super.quit();
        } finally {
          TestFiles.deleteTree(profile);
        }
      }
    };
  }
}
