package io.codegloss.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.codegloss.core.db.Database;
import io.codegloss.core.error.CodeglossException;
import io.codegloss.core.error.PermanentException;
import io.codegloss.core.error.RetryableException;
import io.codegloss.core.search.SearchRequest;
import io.codegloss.dashboard.view.DashboardQueries;
import io.codegloss.dashboard.view.SpanView;
import io.javalin.Javalin;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import io.javalin.json.JavalinJackson;
import io.javalin.util.JavalinBindException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's view: one page plus the JSON API it is built on (docs/dashboard-api.md). Only GET
 * routes exist and every query runs in a read-only transaction, so nothing here can change a job;
 * destructive actions stay in the JobRunr dashboard.
 */
public final class DashboardServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DashboardServer.class);
  private static final String STATIC = "/io/codegloss/dashboard/static/";

  private final DashboardSettings settings;
  private final DashboardQueries queries;
  private final ObjectMapper json;
  private final LiveUpdates live;
  private Javalin app;

  public DashboardServer(Database db, DashboardSettings settings) {
    this.settings = settings;
    this.queries = new DashboardQueries(db, settings.workerDeadSeconds(), settings::jobUrl);
    this.json =
        new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    this.live = new LiveUpdates(queries, json, settings.refreshSeconds());
  }

  /**
   * Starts listening on the configured host (loopback unless the operator opted in).
   *
   * @param port the port, 0 for any free one (see {@link #port()})
   */
  public synchronized DashboardServer start(int port) {
    if (app != null) {
      throw new IllegalStateException("dashboard already started");
    }
    Javalin created = Javalin.create(cfg -> configure(cfg));
    try {
      created.start(settings.host(), port);
    } catch (JavalinBindException e) {
      throw new PermanentException(
          "the dashboard cannot listen on "
              + settings.host()
              + " port "
              + port
              + ": it is in use (choose another with --port)",
          e);
    }
    app = created;
    live.start();
    log.info(
        "dashboard listening on {} port {} ({})",
        settings.host(),
        app.port(),
        settings.authRequired() ? "basic auth required" : "no password set: open to anyone");
    return this;
  }

  private void configure(io.javalin.config.JavalinConfig cfg) {
    cfg.startup.showJavalinBanner = false;
    cfg.startup.showOldJavalinVersionWarning = false;
    cfg.jsonMapper(new JavalinJackson(json, false));
    // First, so that even refused and unauthenticated answers carry them.
    cfg.routes.before(DashboardServer::securityHeaders);
    // Before auth: a page from another site that rebinds its DNS name to this address must not
    // get even a login prompt to phish with.
    cfg.routes.before(new HostCheck(settings.host(), settings.hostNames()));
    if (settings.authRequired()) {
      cfg.routes.before(new BasicAuth(settings.user(), settings.password()));
    }
    cfg.routes.get("/", ctx -> asset(ctx, "index.html", "text/html; charset=utf-8"));
    cfg.routes.get(
        "/assets/dashboard.js",
        ctx -> asset(ctx, "dashboard.js", "text/javascript; charset=utf-8"));
    cfg.routes.get(
        "/assets/dashboard.css", ctx -> asset(ctx, "dashboard.css", "text/css; charset=utf-8"));
    cfg.routes.get("/spans", ctx -> asset(ctx, "spans.html", "text/html; charset=utf-8"));
    cfg.routes.get(
        "/assets/spans.js", ctx -> asset(ctx, "spans.js", "text/javascript; charset=utf-8"));
    cfg.routes.get("/api/search", this::search);
    cfg.routes.get("/api/spans/{id}", this::span);
    cfg.routes.get("/api/summary", ctx -> ctx.json(queries.summary()));
    cfg.routes.get("/api/queue", ctx -> ctx.json(queries.queue()));
    cfg.routes.get(
        "/api/throughput",
        ctx ->
            ctx.json(
                queries.throughput(
                    intParam(
                        ctx,
                        "minutes",
                        DashboardQueries.DEFAULT_MINUTES,
                        DashboardQueries.MAX_MINUTES))));
    cfg.routes.get("/api/workers", ctx -> ctx.json(queries.workers()));
    cfg.routes.get("/api/savings", ctx -> ctx.json(queries.savings()));
    cfg.routes.get(
        "/api/failures",
        ctx ->
            ctx.json(
                queries.failures(
                    intParam(
                        ctx,
                        "limit",
                        DashboardQueries.DEFAULT_FAILURE_LIMIT,
                        DashboardQueries.MAX_FAILURE_LIMIT))));
    cfg.routes.get("/api/snapshot", ctx -> ctx.json(queries.snapshot()));
    cfg.routes.get("/api/lineup", ctx -> ctx.json(queries.lineUp()));
    cfg.routes.get(
        "/api/config",
        ctx ->
            ctx.json(
                Map.of(
                    "refreshSeconds", settings.refreshSeconds(),
                    "workerDeadSeconds", settings.workerDeadSeconds(),
                    "jobrunrDashboardUrl", settings.jobrunrDashboardUrl())));
    cfg.routes.sse("/api/events", live::accept);
    cfg.routes.exception(
        CodeglossException.class,
        (e, ctx) -> {
          log.warn("dashboard request {} failed: {}", ctx.path(), e.oneLine());
          ctx.status(
              e instanceof RetryableException
                  ? HttpStatus.SERVICE_UNAVAILABLE
                  : HttpStatus.INTERNAL_SERVER_ERROR);
          ctx.json(Map.of("error", e.oneLine()));
        });
  }

  private void search(Context ctx) {
    String q = ctx.queryParam("q");
    if (q == null || q.isBlank()) {
      throw new BadRequestResponse("q (the search text) is required");
    }
    int limit = intParam(ctx, "limit", SearchRequest.DEFAULT_LIMIT, SearchRequest.MAX_LIMIT);
    SearchRequest request;
    try {
      request =
          new SearchRequest(
              q,
              limit,
              optional(ctx, "repository"),
              optional(ctx, "language"),
              optional(ctx, "kind"));
    } catch (IllegalArgumentException e) {
      throw new BadRequestResponse(String.valueOf(e.getMessage()));
    }
    ctx.json(Map.of("query", q, "hits", queries.search(request)));
  }

  private void span(Context ctx) {
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw new BadRequestResponse("the span id must be a whole number");
    }
    Optional<SpanView> view = queries.span(id);
    if (view.isEmpty()) {
      throw new NotFoundResponse("no span with id " + id);
    }
    ctx.json(view.get());
  }

  private static Optional<String> optional(Context ctx, String name) {
    return Optional.ofNullable(ctx.queryParam(name)).map(String::strip).filter(v -> !v.isEmpty());
  }

  /**
   * The page loads only its own assets and talks only to its own API; framing is refused against
   * clickjacking, and content types are not sniffed so a JSON answer never runs as script.
   */
  static void securityHeaders(Context ctx) {
    ctx.header(
        "Content-Security-Policy",
        "default-src 'self'; connect-src 'self'; img-src 'self' data:; object-src 'none';"
            + " base-uri 'none'; frame-ancestors 'none'; form-action 'none'");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
  }

  /** The address actually bound, to verify what the settings asked for. */
  public synchronized InetSocketAddress boundAddress() {
    if (app == null) {
      throw new IllegalStateException("dashboard not started");
    }
    for (Connector c : app.jettyServer().server().getConnectors()) {
      if (c instanceof ServerConnector sc && sc.getTransport() instanceof ServerSocketChannel ch) {
        try {
          return (InetSocketAddress) ch.getLocalAddress();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    throw new IllegalStateException("dashboard has no network connector");
  }

  private static int intParam(Context ctx, String name, int defaultValue, int max) {
    String raw = ctx.queryParam(name);
    if (raw == null || raw.isBlank()) {
      return defaultValue;
    }
    try {
      int v = Integer.parseInt(raw.trim());
      if (v >= 1 && v <= max) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new BadRequestResponse(name + " must be a whole number from 1 to " + max);
  }

  private static void asset(Context ctx, String name, String contentType) {
    try (InputStream in = DashboardServer.class.getResourceAsStream(STATIC + name)) {
      if (in == null) {
        throw new IllegalStateException("dashboard asset missing from the jar: " + name);
      }
      ctx.contentType(contentType);
      ctx.header("Cache-Control", "no-cache");
      ctx.result(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The port actually bound (useful after {@code start(0)}). */
  public synchronized int port() {
    if (app == null) {
      throw new IllegalStateException("dashboard not started");
    }
    return app.port();
  }

  /** Pages with a live event stream open right now. */
  public int openPages() {
    return live.openPages();
  }

  public synchronized void stop() {
    live.stop();
    if (app != null) {
      app.stop();
      app = null;
      log.info("dashboard stopped");
    }
  }

  @Override
  public void close() {
    stop();
  }
}
