package io.codegloss.scheduler.queue;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.codegloss.core.config.Exposure;
import io.codegloss.core.error.PermanentException;
import io.codegloss.core.thread.DaemonThreads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jobrunr.dashboard.JobRunrApiHandler;
import org.jobrunr.dashboard.JobRunrSseHandler;
import org.jobrunr.dashboard.JobRunrStaticFileHandler;
import org.jobrunr.dashboard.server.HttpExchangeHandler;
import org.jobrunr.dashboard.server.http.RedirectHttpHandler;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.ThreadSafeStorageProvider;
import org.jobrunr.utils.mapper.JsonMapper;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JobRunr's own dashboard (its page, API and event stream) served by a server we control. JobRunr
 * 8's {@code JobRunrDashboardWebServer} always binds every interface (its configuration has a port
 * and basic auth but no host) and accepts a cross-site form POST to requeue; so its public handlers
 * are mounted here on the configured host, behind basic auth on every context when credentials are
 * set, a Host check against DNS rebinding when on loopback, a same-origin check on every mutating
 * request, and the security headers.
 */
public final class JobRunrDashboard implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(JobRunrDashboard.class);
  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

  private final HttpServer server;
  private final ExecutorService executor;
  private final List<HttpExchangeHandler> handlers = new ArrayList<>();

  /**
   * Binds at once (so a port in use fails the command before anything else starts) but serves only
   * after {@link #start()}.
   */
  public JobRunrDashboard(
      StorageProvider storage,
      JsonMapper json,
      String host,
      int port,
      @Nullable String user,
      @Nullable String password) {
    try {
      this.server = HttpServer.create(new InetSocketAddress(host, port), 0);
    } catch (BindException e) {
      throw new PermanentException(
          "the JobRunr dashboard cannot listen on "
              + host
              + " port "
              + port
              + ": it is in use or not an address of this machine (choose another with"
              + " --jobrunr-port or --jobrunr-host)",
          e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // SSE streams hold a thread each for as long as a page is open.
    this.executor =
        Executors.newCachedThreadPool(DaemonThreads.named("codegloss-jobrunr-dashboard"));
    server.setExecutor(executor);
    StorageProvider safe = new ThreadSafeStorageProvider(storage);
    Guard guard = new Guard(host);
    Authenticator auth =
        user == null || password == null ? null : new Authenticator(user, password);
    mount(new RedirectHttpHandler("/", "/dashboard"), guard, auth);
    mount(new JobRunrStaticFileHandler(), guard, auth);
    mount(new JobRunrApiHandler(safe, json, false), guard, auth);
    mount(new JobRunrSseHandler(safe, json), guard, auth);
  }

  private void mount(HttpExchangeHandler handler, Guard guard, @Nullable Authenticator auth) {
    handlers.add(handler);
    HttpContext ctx = server.createContext(handler.getContextPath(), handler);
    // User filters run before the authenticator, so refusals and 401s carry the headers too.
    ctx.getFilters().add(guard);
    if (auth != null) {
      ctx.setAuthenticator(auth);
    }
  }

  public void start() {
    server.start();
    log.info("JobRunr dashboard listening on {}", server.getAddress());
  }

  /** The address actually bound. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
    handlers.forEach(HttpExchangeHandler::close);
    executor.shutdownNow();
  }

  /** Headers on every answer; Host and same-origin checks before anything is handled. */
  static final class Guard extends Filter {
    private final Set<String> allowedHosts;
    private final boolean loopback;

    Guard(String host) {
      this.loopback = Exposure.isLoopback(host);
      Set<String> hosts = new HashSet<>(Set.of("localhost", "127.0.0.1", "[::1]"));
      hosts.add(hostName(host));
      this.allowedHosts = Set.copyOf(hosts);
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
      var h = exchange.getResponseHeaders();
      // JobRunr's page uses inline styles, so styles may be inline; scripts only from here.
      h.set(
          "Content-Security-Policy",
          "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
              + " object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'");
      h.set("X-Frame-Options", "DENY");
      h.set("X-Content-Type-Options", "nosniff");
      h.set("Referrer-Policy", "no-referrer");
      String host = hostName(exchange.getRequestHeaders().getFirst("Host"));
      // On loopback, where it may run without a password, a rebound DNS name must get nothing.
      // A network bind needs credentials (or an explicit open), and its operators reach it by
      // names this process cannot know.
      if (host == null || (loopback && !allowedHosts.contains(host))) {
        refuse(exchange, 403, "unknown Host header");
        return;
      }
      if (!SAFE_METHODS.contains(exchange.getRequestMethod().toUpperCase(Locale.ROOT))
          && !sameOrigin(exchange, host)) {
        // Browsers send cached basic credentials with a cross-site form POST; refuse it.
        refuse(exchange, 403, "cross-site request refused");
        return;
      }
      chain.doFilter(exchange);
    }

    private static boolean sameOrigin(HttpExchange exchange, String host) {
      String site = exchange.getRequestHeaders().getFirst("Sec-Fetch-Site");
      if (site != null && !site.equals("same-origin") && !site.equals("none")) {
        return false;
      }
      String origin = exchange.getRequestHeaders().getFirst("Origin");
      if (origin == null) {
        return true; // not a browser, or a same-origin request of a browser that omits it
      }
      try {
        String originHost = URI.create(origin).getHost();
        return originHost != null && hostName(originHost).equals(host);
      } catch (IllegalArgumentException e) {
        return false;
      }
    }

    private static @Nullable String hostName(@Nullable String hostHeader) {
      if (hostHeader == null) {
        return null;
      }
      String h = hostHeader.trim().toLowerCase(Locale.ROOT);
      if (h.startsWith("[")) {
        int end = h.indexOf(']');
        return end < 0 ? h : h.substring(0, end + 1);
      }
      if (h.equals("::1")) {
        return "[::1]";
      }
      int colon = h.indexOf(':');
      return colon < 0 ? h : h.substring(0, colon);
    }

    private static void refuse(HttpExchange exchange, int status, String why) throws IOException {
      byte[] body = (why + "\n").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    }

    @Override
    public String description() {
      return "codegloss security headers, Host and same-origin checks";
    }
  }

  /** Basic auth compared in constant time; credentials are never logged. */
  static final class Authenticator extends BasicAuthenticator {
    private final byte[] user;
    private final byte[] password;

    Authenticator(String user, String password) {
      super("JobRunr dashboard", StandardCharsets.UTF_8);
      this.user = user.getBytes(StandardCharsets.UTF_8);
      this.password = password.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean checkCredentials(String givenUser, String givenPassword) {
      boolean userOk = MessageDigest.isEqual(user, givenUser.getBytes(StandardCharsets.UTF_8));
      boolean passwordOk =
          MessageDigest.isEqual(password, givenPassword.getBytes(StandardCharsets.UTF_8));
      return userOk & passwordOk;
    }
  }
}
