package io.codegloss.dashboard;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.WebDriver;

/**
 * Tests that drive the dashboard's pages in headless Chromium: one browser for the whole class,
 * because starting one takes seconds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BrowserTest {

  WebDriver browser;

  @BeforeAll
  void startBrowser() {
    browser = HeadlessChromium.start();
  }

  @AfterAll
  void quitBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }
}
