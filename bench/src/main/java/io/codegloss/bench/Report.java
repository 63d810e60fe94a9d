package io.codegloss.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.codegloss.bench.quality.DocstringQuality;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * The benchmark's results as JSON ({@code report.json}), Markdown ({@code report.md}) and PNG
 * charts ({@code modes.png}, {@code scaling.png}).
 *
 * @param meta machine, model, corpus, settings and the command
 * @param modes the compared modes, in order (single first when present)
 * @param fixedScaling scaling points against the fixed-latency endpoint
 * @param modelScaling scaling points against the real model
 * @param modesOnFixedLatency true when the modes ran against the fixed-latency endpoint
 */
record Report(
    Map<String, Object> meta,
    List<RunResult> modes,
    List<RunResult> fixedScaling,
    List<RunResult> modelScaling,
    int latencyMillis,
    boolean modesOnFixedLatency,
    TimeModel timeModel) {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** One target of the issue and whether this run met it. */
  record Target(String name, String goal, String measured, @Nullable Boolean met) {}

  Report {
    meta = Map.copyOf(meta);
    modes = List.copyOf(modes);
    fixedScaling = List.copyOf(fixedScaling);
    modelScaling = List.copyOf(modelScaling);
  }

  Optional<RunResult> mode(String name) {
    return modes.stream().filter(m -> m.name().equals(name)).findFirst();
  }

  String fixedLabel() {
    return FixedLatencyEndpoint.LABEL + ", " + latencyMillis + " ms per call";
  }

  // ---------------------------------------------------------------- JSON

  Map<String, Object> json() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("benchmark", meta);
    if (modesOnFixedLatency) {
      root.put("modes_label", fixedLabel() + ": quality numbers are meaningless");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (RunResult r : modes) {
      m.put(r.name(), r.json());
    }
    root.put("modes", m);
    Optional<RunResult> single = mode(BenchOptions.SINGLE);
    Optional<RunResult> batch = mode(BenchOptions.BATCH);
    root.put(
        "ratios",
        single.isPresent() && batch.isPresent() ? ratios(batch.get(), single.get()) : Map.of());
    Map<String, Object> others = new LinkedHashMap<>();
    for (RunResult r : modes) {
      if (single.isPresent()
          && !r.name().equals(BenchOptions.SINGLE)
          && !r.name().equals(BenchOptions.BATCH)) {
        others.put(r.name(), ratios(r, single.get()));
      }
    }
    if (!others.isEmpty()) {
      root.put("ratios_other_modes", others);
    }
    root.put("where_time_goes", whereTimeGoes());
    Map<String, Object> scaling = new LinkedHashMap<>();
    if (!fixedScaling.isEmpty()) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("label", fixedLabel());
      f.put("latency_ms", latencyMillis);
      f.put("points", points(fixedScaling));
      f.put("speedup_max_vs_1", speedup(fixedScaling));
      scaling.put("fixed_latency", f);
    }
    if (!modelScaling.isEmpty()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("label", modelScaling.get(0).backendLabel());
      r.put("points", points(modelScaling));
      r.put("speedup_max_vs_1", speedup(modelScaling));
      scaling.put("real_model", r);
    }
    root.put("queue_scaling", scaling);
    List<Map<String, Object>> targets = new ArrayList<>();
    for (Target t : targets()) {
      Map<String, Object> tm = new LinkedHashMap<>();
      tm.put("target", t.name());
      tm.put("goal", t.goal());
      tm.put("measured", t.measured());
      tm.put("met", t.met());
      targets.add(tm);
    }
    root.put("targets", targets);
    return root;
  }

  static Map<String, Object> ratios(RunResult a, RunResult b) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("calls", ratio(a.volume().calls(), b.volume().calls()));
    r.put("calls_per_span", ratio(a.callsPerSpan(), b.callsPerSpan()));
    r.put("prompt_tokens", ratio(a.volume().promptTokens(), b.volume().promptTokens()));
    r.put("completion_tokens", ratio(a.volume().completionTokens(), b.volume().completionTokens()));
    r.put("wall_seconds", ratio(a.wallSeconds(), b.wallSeconds()));
    r.put("seconds_per_span", ratio(a.secondsPerSpan(), b.secondsPerSpan()));
    r.put("first_try_valid_rate", ratio(a.firstTryValidRate(), b.firstTryValidRate()));
    r.put("final_valid_rate", ratio(a.finalValidRate(), b.finalValidRate()));
    r.put(
        "processed_tokens_per_span",
        ratio(a.cost().processedPerSpan(), b.cost().processedPerSpan()));
    r.put(
        "relationship_recall",
        ratio(a.quality().relationshipRecall(), b.quality().relationshipRecall()));
    r.put(
        "relationship_precision",
        ratio(a.quality().relationshipPrecision(), b.quality().relationshipPrecision()));
    if (a.docstrings() != null && b.docstrings() != null) {
      r.put("rouge_l", ratio(a.docstrings().rougeL(), b.docstrings().rougeL()));
      r.put("llm_seconds_per_span", ratio(a.llmSecondsPerSpan(), b.llmSecondsPerSpan()));
    }
    return r;
  }

  /** a / b rounded; null when b is 0 (no ratio). */
  static @Nullable Double ratio(double a, double b) {
    return b == 0 ? null : RunResult.round(a / b, 4);
  }

  private static List<Map<String, Object>> points(List<RunResult> runs) {
    List<Map<String, Object>> out = new ArrayList<>();
    double base = runs.get(0).spansPerMinute();
    for (RunResult r : runs) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("workers", r.workers());
      p.put("spans", r.volume().spans());
      p.put("spans_per_minute", RunResult.round(r.spansPerMinute(), 2));
      p.put("speedup", base == 0 ? null : RunResult.round(r.spansPerMinute() / base, 3));
      p.put("wall_seconds", RunResult.round(r.wallSeconds(), 2));
      p.put("spans_lost", r.volume().lost());
      p.put("final_valid_rate", RunResult.round(r.finalValidRate(), 4));
      p.put("queue", r.json().get("queue"));
      out.add(p);
    }
    return out;
  }

  private static @Nullable Double speedup(List<RunResult> runs) {
    RunResult first = runs.get(0);
    RunResult last = runs.get(runs.size() - 1);
    return first.workers() != 1 || first.spansPerMinute() == 0
        ? null
        : RunResult.round(last.spansPerMinute() / first.spansPerMinute(), 3);
  }

  // ---------------------------------------------------------------- where time goes

  /** Per mode: wall time split into prefill, decode, per-call fixed cost, rework, queue, db. */
  Map<String, Object> whereTimeGoes() {
    Map<String, Object> root = new LinkedHashMap<>();
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("calls_fitted", timeModel.calls());
    model.put("fixed_ms_per_call", RunResult.round(timeModel.fixedMs(), 1));
    model.put("ms_per_prompt_token", RunResult.round(timeModel.msPerPromptToken(), 3));
    model.put("ms_per_completion_token", RunResult.round(timeModel.msPerCompletionToken(), 3));
    root.put("llm_time_model", model);
    for (RunResult r : modes) {
      root.put(r.name(), split(r));
    }
    return root;
  }

  Map<String, Object> split(RunResult r) {
    double prefill = 0;
    double decode = 0;
    double fixed = 0;
    double rework = 0;
    double llm = 0;
    for (Measure.CallRow c : r.calls()) {
      llm += c.wallMillis();
      if (c.rework()) {
        rework += c.wallMillis();
      }
      if (timeModel.usable()) {
        prefill += timeModel.msPerPromptToken() * c.promptTokens();
        decode += timeModel.msPerCompletionToken() * c.completionTokens();
        fixed += timeModel.fixedMs();
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("wall_seconds", RunResult.round(r.wallSeconds(), 2));
    m.put("llm_call_seconds", RunResult.round(llm / 1000, 2));
    if (timeModel.usable()) {
      m.put("prefill_seconds", RunResult.round(prefill / 1000, 2));
      m.put("decode_seconds", RunResult.round(decode / 1000, 2));
      m.put("fixed_per_call_seconds", RunResult.round(fixed / 1000, 2));
    }
    m.put("rework_call_seconds", RunResult.round(rework / 1000, 2));
    m.put("queue_seconds", RunResult.round(r.wallSeconds() - r.timing().llmBusyMs() / 1000.0, 2));
    m.put("db_seconds", RunResult.round(Math.max(0, r.dbActiveMillis()) / 1000, 3));
    return m;
  }

  // ---------------------------------------------------------------- targets

  List<Target> targets() {
    List<Target> out = new ArrayList<>();
    Optional<RunResult> single = mode(BenchOptions.SINGLE);
    Optional<RunResult> batch = mode(BenchOptions.BATCH);
    String suffix = modesOnFixedLatency ? " (fixed-latency endpoint: not a model measurement)" : "";
    batch.ifPresent(
        b -> {
          out.add(
              target(
                  "batched LLM calls per span",
                  "<= 0.30",
                  b.callsPerSpan(),
                  v -> v <= 0.30,
                  suffix));
          out.add(
              target(
                  "batched first-try valid rate",
                  ">= 95%",
                  b.firstTryValidRate(),
                  v -> v >= 0.95,
                  suffix));
        });
    if (single.isPresent() && batch.isPresent()) {
      RunResult s = single.get();
      RunResult b = batch.get();
      out.add(
          target(
              "wall time batched / single",
              "<= 0.60",
              Measure.ratio(b.wallSeconds(), s.wallSeconds()),
              v -> v <= 0.6,
              suffix));
      out.add(
          target(
              "prompt tokens batched / single",
              "<= 0.50",
              Measure.ratio(b.volume().promptTokens(), s.volume().promptTokens()),
              v -> v <= 0.5,
              suffix));
      double sr = s.quality().relationshipRecall();
      double br = b.quality().relationshipRecall();
      String measured =
          String.format(
              Locale.ROOT,
              "%.3f vs %.3f (%s)",
              br,
              sr,
              sr == 0 ? (br > 0 ? "single found none" : "both none") : fmt(br / sr) + "x");
      out.add(
          new Target(
              "relationship recall batched / single",
              ">= 2x",
              measured + suffix,
              sr == 0 ? br > 0 : br / sr >= 2));
    }
    out.addAll(docstringTargets(single, batch, suffix));
    long lost = modes.stream().mapToLong(r -> r.volume().lost()).sum();
    out.add(new Target("spans lost (all modes)", "0", Long.toString(lost), lost == 0));
    List<RunResult> real = new ArrayList<>();
    if (!modesOnFixedLatency) {
      real.addAll(modes);
    }
    real.addAll(modelScaling);
    if (!real.isEmpty()) {
      double worst = real.stream().mapToDouble(RunResult::queueOverheadShare).max().orElse(0);
      RunResult w =
          real.stream().filter(r -> r.queueOverheadShare() == worst).findFirst().orElseThrow();
      out.add(
          new Target(
              "queue overhead with the real model (worst run)",
              "< 5% of wall time",
              pct(worst) + " (" + w.name() + ")",
              worst < 0.05));
    }
    if (fixedScaling.size() >= 2 && fixedScaling.get(0).workers() == 1) {
      RunResult one = fixedScaling.get(0);
      RunResult most = fixedScaling.get(fixedScaling.size() - 1);
      double sp = Measure.ratio(most.spansPerMinute(), one.spansPerMinute());
      out.add(
          new Target(
              "throughput " + most.workers() + " workers / 1 worker (" + fixedLabel() + ")",
              most.workers() >= 4 ? ">= 3x" : "(target is for 4 workers)",
              fmt(sp) + "x",
              most.workers() >= 4 ? sp >= 3 : null));
    }
    return out;
  }

  /** The targets of {@code --quality docstrings}; none when it was not asked for. */
  private List<Target> docstringTargets(
      Optional<RunResult> single, Optional<RunResult> batch, String suffix) {
    List<Target> out = new ArrayList<>();
    for (RunResult r : modes) {
      DocstringQuality.Scores d = r.docstrings();
      if (d == null || d.spans() == 0) {
        continue;
      }
      double times = Measure.ratio(d.rougeL(), d.baselineRougeL());
      out.add(
          new Target(
              r.name() + ": ROUGE-L / name-words baseline",
              ">= 2x",
              String.format(
                      Locale.ROOT, "%.3f vs %.3f (%sx)", d.rougeL(), d.baselineRougeL(), fmt(times))
                  + suffix,
              d.baselineRougeL() == 0 ? d.rougeL() > 0 : times >= 2));
      out.add(
          target(
              r.name() + ": completion tokens per span",
              "<= 80",
              r.completionTokensPerSpan(),
              v -> v <= 80,
              suffix));
    }
    if (single.isPresent()
        && batch.isPresent()
        && single.get().docstrings() != null
        && batch.get().docstrings() != null) {
      RunResult s = single.get();
      RunResult b = batch.get();
      out.add(
          new Target(
              "ROUGE-L batched vs single",
              ">= single",
              String.format(
                      Locale.ROOT, "%.3f vs %.3f", b.docstrings().rougeL(), s.docstrings().rougeL())
                  + suffix,
              b.docstrings().rougeL() >= s.docstrings().rougeL()));
      out.add(
          target(
              "LLM seconds per span batched / single",
              "<= 0.60",
              Measure.ratio(b.llmSecondsPerSpan(), s.llmSecondsPerSpan()),
              v -> v <= 0.6,
              suffix));
    }
    return out;
  }

  private static Target target(
      String name, String goal, double v, java.util.function.DoublePredicate ok, String suffix) {
    String measured = goal.contains("%") ? pct(v) : fmt(v);
    return new Target(name, goal, measured + suffix, ok.test(v));
  }

  // ---------------------------------------------------------------- Markdown

  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# codegloss bench\n\n");
    md.append("- date: ").append(meta.get("date")).append('\n');
    md.append("- machine: ").append(meta.get("machine")).append('\n');
    md.append("- model: ").append(meta.get("model")).append('\n');
    md.append("- corpus: ").append(meta.get("corpus")).append('\n');
    md.append("- spans: ").append(meta.get("spans")).append('\n');
    md.append("- worker limits: ").append(meta.get("worker_limits")).append('\n');
    md.append("- bench settings: ").append(meta.get("bench_settings")).append('\n');
    md.append("- command: `").append(meta.get("command")).append("`\n\n");
    if (!modes.isEmpty()) {
      if (modesOnFixedLatency) {
        md.append("> Modes measured against the ")
            .append(fixedLabel())
            .append(": costs and quality below are NOT model measurements.\n\n");
      }
      md.append("## Modes\n\n");
      md.append(modesTable());
      md.append("\n## Cost against the floor\n\n");
      md.append(costTable());
      md.append("\n## Quality (no judge model)\n\n");
      md.append(qualityTable());
      if (modes.stream().anyMatch(r -> r.docstrings() != null)) {
        md.append("\n## Prose against the docstrings (--quality docstrings)\n\n");
        md.append(docstringTable());
      }
      md.append("\n## Where the time goes\n\n");
      md.append(timeTable());
      md.append("\n## Why calls did not deliver (most frequent)\n\n");
      md.append("| mode | reason | items |\n|---|---|---|\n");
      for (RunResult r : modes) {
        if (r.failureReasons().isEmpty()) {
          md.append("| ").append(r.name()).append(" | none | 0 |\n");
        }
        r.failureReasons()
            .forEach(
                (reason, n) ->
                    md.append("| ")
                        .append(r.name())
                        .append(" | ")
                        .append(reason.replace("|", "/"))
                        .append(" | ")
                        .append(n)
                        .append(" |\n"));
      }
    }
    if (!fixedScaling.isEmpty()) {
      md.append("\n## Queue scaling: ").append(fixedLabel()).append("\n\n");
      md.append(scalingTable(fixedScaling));
    }
    if (!modelScaling.isEmpty()) {
      md.append("\n## Queue scaling: ").append(modelScaling.get(0).backendLabel()).append("\n\n");
      md.append(scalingTable(modelScaling));
    }
    md.append("\n## Targets\n\n");
    md.append("| target | goal | measured | met |\n|---|---|---|---|\n");
    for (Target t : targets()) {
      md.append("| ")
          .append(t.name())
          .append(" | ")
          .append(t.goal())
          .append(" | ")
          .append(t.measured())
          .append(" | ")
          .append(t.met() == null ? "n/a" : t.met() ? "yes" : "**no**")
          .append(" |\n");
    }
    return md.toString();
  }

  String modesTable() {
    StringBuilder md = new StringBuilder("| | ");
    for (RunResult r : modes) {
      md.append(r.name()).append(" | ");
    }
    Optional<RunResult> single = mode(BenchOptions.SINGLE);
    boolean ratio = single.isPresent() && modes.size() > 1;
    if (ratio) {
      for (RunResult r : modes) {
        if (!r.name().equals(BenchOptions.SINGLE)) {
          md.append(r.name()).append(" / single | ");
        }
      }
    }
    md.append("\n|---|");
    md.append("---|".repeat(modes.size() + (ratio ? modes.size() - 1 : 0)));
    md.append('\n');
    row(md, "spans", r -> r.volume().spans(), false, false);
    row(md, "LLM calls", r -> r.volume().calls(), true, false);
    row(md, "calls per span", RunResult::callsPerSpan, true, false);
    row(md, "prompt tokens", r -> r.volume().promptTokens(), true, false);
    row(md, "completion tokens", r -> r.volume().completionTokens(), true, false);
    row(md, "wall seconds", RunResult::wallSeconds, true, false);
    row(md, "seconds per span", RunResult::secondsPerSpan, true, false);
    row(md, "first-try valid rate", RunResult::firstTryValidRate, true, true);
    row(md, "final valid rate", RunResult::finalValidRate, true, true);
    row(md, "first pass: spans sent", r -> r.volume().firstPassSpans(), false, false);
    row(md, "first pass: calls per span", RunResult::firstPassCallsPerSpan, true, false);
    row(md, "first pass: LLM seconds per span", RunResult::firstPassLlmSecondsPerSpan, true, false);
    row(
        md,
        "first pass: prompt tokens per span",
        RunResult::firstPassPromptTokensPerSpan,
        true,
        false);
    row(md, "spans failed (recorded)", r -> r.volume().failed(), false, false);
    row(md, "spans lost", r -> r.volume().lost(), false, false);
    row(md, "planned batches / singles", r -> r.volume().plannedBatches(), false, false);
    row(md, "fallback single-span jobs", r -> r.volume().fallbackJobs(), false, false);
    row(md, "batches paused (split, no call)", r -> r.volume().pausedBatches(), false, false);
    return md.toString();
  }

  private void row(
      StringBuilder md, String name, ToDoubleFunction<RunResult> f, boolean ratio, boolean pct) {
    md.append("| ").append(name).append(" | ");
    for (RunResult r : modes) {
      double v = f.applyAsDouble(r);
      if (name.startsWith("planned")) {
        md.append(r.volume().plannedBatches()).append(" / ").append(r.volume().plannedSingles());
      } else {
        md.append(pct ? pct(v) : fmt(v));
      }
      md.append(" | ");
    }
    Optional<RunResult> single = mode(BenchOptions.SINGLE);
    if (single.isPresent() && modes.size() > 1) {
      for (RunResult r : modes) {
        if (r.name().equals(BenchOptions.SINGLE)) {
          continue;
        }
        double base = f.applyAsDouble(single.get());
        md.append(ratio && base != 0 ? fmt(f.applyAsDouble(r) / base) + "x" : "").append(" | ");
      }
    }
    md.append('\n');
  }

  String costTable() {
    StringBuilder md =
        new StringBuilder(
            "| mode | code tokens | output tokens | floor tokens/span | processed tokens/span |"
                + " x floor | tokenizer |\n|---|---|---|---|---|---|---|\n");
    for (RunResult r : modes) {
      Measure.Cost c = r.cost();
      md.append("| ")
          .append(r.name())
          .append(" | ")
          .append(c.codeTokens())
          .append(" | ")
          .append(c.outputTokens())
          .append(" | ")
          .append(fmt(c.floorPerSpan()))
          .append(" | ")
          .append(fmt(c.processedPerSpan()))
          .append(" | ")
          .append(fmt(c.timesFloor()))
          .append(" | ")
          .append(c.exact() ? "model" : "estimate")
          .append(" |\n");
    }
    return md.toString();
  }

  /**
   * Per mode: spans with a docstring, the averages of the model's prose and of the name-words
   * baseline against the docstring's first sentence, and what the prose cost per span.
   */
  String docstringTable() {
    StringBuilder md =
        new StringBuilder(
            "| mode | spans with a docstring | ROUGE-L | BLEU-4 | baseline ROUGE-L |"
                + " baseline BLEU-4 | no model prose | LLM s/span (all calls) | completion tokens/span |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
    for (RunResult r : modes) {
      DocstringQuality.Scores d = r.docstrings();
      if (d == null) {
        continue;
      }
      md.append("| ")
          .append(r.name())
          .append(" | ")
          .append(d.spans())
          .append(" | ")
          .append(String.format(Locale.ROOT, "%.3f", d.rougeL()))
          .append(" | ")
          .append(String.format(Locale.ROOT, "%.3f", d.bleu4()))
          .append(" | ")
          .append(String.format(Locale.ROOT, "%.3f", d.baselineRougeL()))
          .append(" | ")
          .append(String.format(Locale.ROOT, "%.3f", d.baselineBleu4()))
          .append(" | ")
          .append(d.missing())
          .append(" | ")
          .append(fmt(r.llmSecondsPerSpan()))
          .append(" | ")
          .append(fmt(r.completionTokensPerSpan()))
          .append(" |\n");
    }
    Optional<RunResult> single = mode(BenchOptions.SINGLE);
    Optional<RunResult> batch = mode(BenchOptions.BATCH);
    if (single.isPresent()
        && batch.isPresent()
        && single.get().docstrings() != null
        && batch.get().docstrings() != null) {
      Map<String, Object> r = ratios(batch.get(), single.get());
      md.append("\nbatch / single: ROUGE-L ")
          .append(r.get("rouge_l"))
          .append(", LLM seconds per span ")
          .append(r.get("llm_seconds_per_span"))
          .append('\n');
    }
    return md.toString();
  }

  String qualityTable() {
    StringBuilder md =
        new StringBuilder(
            "| mode | relationship recall | relationship precision | existence ratio |"
                + " evidence inside | inputs listed | outputs listed | side effects listed |\n"
                + "|---|---|---|---|---|---|---|---|\n");
    for (RunResult r : modes) {
      Measure.Quality q = r.quality();
      md.append("| ")
          .append(r.name())
          .append(" | ")
          .append(pct(q.relationshipRecall()))
          .append(" (")
          .append(q.namedTrue())
          .append('/')
          .append(q.trueRelations())
          .append(") | ")
          .append(pct(q.relationshipPrecision()))
          .append(" (")
          .append(q.namedTrue())
          .append('/')
          .append(q.namedRelations())
          .append(") | ")
          .append(pct(q.existenceRatio()))
          .append(" | ")
          .append(pct(q.evidenceInsideRatio()))
          .append(" | ")
          .append(pct(q.inputsCompleteness()))
          .append(" of ")
          .append(q.withParameters())
          .append(" | ")
          .append(pct(q.outputsCompleteness()))
          .append(" of ")
          .append(q.returning())
          .append(" | ")
          .append(pct(q.sideEffectsCompleteness()))
          .append(" of ")
          .append(q.withSideEffects())
          .append(" |\n");
    }
    return md.toString();
  }

  String timeTable() {
    StringBuilder md =
        new StringBuilder(
            "| mode | wall s | LLM calls s | prefill s | decode s | fixed per call s |"
                + " rework calls s | no LLM call in flight s | database s |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
    for (RunResult r : modes) {
      Map<String, Object> s = split(r);
      md.append("| ").append(r.name());
      for (String k :
          List.of(
              "wall_seconds",
              "llm_call_seconds",
              "prefill_seconds",
              "decode_seconds",
              "fixed_per_call_seconds",
              "rework_call_seconds",
              "queue_seconds",
              "db_seconds")) {
        Object v = s.get(k);
        md.append(" | ").append(v == null ? "n/a" : fmt(((Number) v).doubleValue()));
      }
      md.append(" |\n");
    }
    if (timeModel.usable()) {
      md.append("\nLLM time model (least squares over ")
          .append(timeModel.calls())
          .append(" calls): ")
          .append(fmt(timeModel.fixedMs()))
          .append(" ms per call + ")
          .append(fmt(timeModel.msPerPromptToken()))
          .append(" ms per prompt token + ")
          .append(fmt(timeModel.msPerCompletionToken()))
          .append(" ms per completion token.\n");
    }
    return md.toString();
  }

  String scalingTable(List<RunResult> runs) {
    StringBuilder md =
        new StringBuilder(
            "| worker processes | spans | wall s | spans/min | speedup | lost |"
                + " no LLM call in flight | first pick-up ms | mean pick-up gap ms |"
                + " mean in-job non-LLM ms | db ms per job | spans/s first start to last end |"
                + " call slots busy |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    double base = runs.get(0).spansPerMinute();
    for (RunResult r : runs) {
      md.append("| ")
          .append(r.workers())
          .append(" | ")
          .append(r.volume().spans())
          .append(" | ")
          .append(fmt(r.wallSeconds()))
          .append(" | ")
          .append(fmt(r.spansPerMinute()))
          .append(" | ")
          .append(base == 0 ? "" : fmt(r.spansPerMinute() / base) + "x")
          .append(" | ")
          .append(r.volume().lost())
          .append(" | ")
          .append(pct(r.queueOverheadShare()))
          .append(" | ")
          .append(fmt(r.timing().firstPickupMs()))
          .append(" | ")
          .append(fmt(r.timing().meanPickupGapMs()))
          .append(" | ")
          .append(fmt(r.timing().meanInJobNonLlmMs()))
          .append(" | ")
          .append(r.dbMillisPerJob() < 0 ? "n/a" : fmt(r.dbMillisPerJob()))
          .append(" | ")
          .append(fmt(r.activeSpansPerSecond()))
          .append(" | ")
          .append(pct(r.slotOccupancy()))
          .append(" |\n");
    }
    return md.toString();
  }

  // ---------------------------------------------------------------- files

  /** Writes report.json, report.md, modes.png and scaling.png into {@code dir}. */
  List<Path> write(Path dir) {
    try {
      Files.createDirectories(dir);
      List<Path> files = new ArrayList<>();
      Path json = dir.resolve("report.json");
      Files.writeString(json, JSON.writeValueAsString(json()) + "\n", StandardCharsets.UTF_8);
      files.add(json);
      Path md = dir.resolve("report.md");
      Files.writeString(md, markdown(), StandardCharsets.UTF_8);
      files.add(md);
      if (!modes.isEmpty()) {
        Path png = dir.resolve("modes.png");
        String label = modesOnFixedLatency ? fixedLabel() : String.valueOf(meta.get("model"));
        Charts.bars(
            png,
            "LLM calls and time per span, by mode",
            modes.get(0).volume().spans()
                + " spans; "
                + label
                + "; first pass = each span's planned job, first call",
            List.of(
                "calls/span, all",
                "calls/span, first pass",
                "wall s/span, all",
                "LLM s/span, first pass"),
            List.of(
                modes.stream().map(r -> new Charts.Point(r.name(), r.callsPerSpan())).toList(),
                modes.stream()
                    .map(r -> new Charts.Point(r.name(), r.firstPassCallsPerSpan()))
                    .toList(),
                modes.stream().map(r -> new Charts.Point(r.name(), r.secondsPerSpan())).toList(),
                modes.stream()
                    .map(r -> new Charts.Point(r.name(), r.firstPassLlmSecondsPerSpan()))
                    .toList()));
        files.add(png);
      }
      if (!fixedScaling.isEmpty() || !modelScaling.isEmpty()) {
        Path png = dir.resolve("scaling.png");
        List<Charts.Series> series = new ArrayList<>();
        if (!fixedScaling.isEmpty()) {
          series.add(line(fixedLabel(), Charts.PALETTE[0], fixedScaling));
          series.add(ideal(fixedScaling));
        }
        if (!modelScaling.isEmpty()) {
          series.add(line(modelScaling.get(0).backendLabel(), Charts.PALETTE[1], modelScaling));
        }
        Charts.lines(
            png,
            "Queue throughput against worker processes",
            "one database; each worker process takes 1 job at a time; " + meta.get("machine"),
            "worker processes",
            "spans per minute",
            series);
        files.add(png);
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Charts.Series line(String name, java.awt.Color color, List<RunResult> runs) {
    return new Charts.Series(
        name,
        color,
        runs.stream().map(r -> new double[] {r.workers(), r.spansPerMinute()}).toList(),
        false);
  }

  private static Charts.Series ideal(List<RunResult> runs) {
    RunResult first = runs.get(0);
    double per = first.spansPerMinute() / first.workers();
    return new Charts.Series(
        "linear (ideal)",
        java.awt.Color.GRAY,
        runs.stream().map(r -> new double[] {r.workers(), per * r.workers()}).toList(),
        true);
  }

  static String fmt(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e12) {
      return Long.toString((long) v);
    }
    if (Math.abs(v) >= 100) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, Math.abs(v) >= 10 ? "%.2f" : "%.3f", v);
  }

  static String pct(double v) {
    return String.format(Locale.ROOT, "%.1f%%", v * 100);
  }
}
