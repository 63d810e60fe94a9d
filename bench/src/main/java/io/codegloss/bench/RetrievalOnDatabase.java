package io.codegloss.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.codegloss.bench.quality.Retrieval;
import io.codegloss.core.config.Settings;
import io.codegloss.core.db.Databases;
import io.codegloss.core.db.DbSettings;
import io.codegloss.core.db.OpenDatabase;
import io.codegloss.core.store.SpanStates;
import io.codegloss.migrations.DbMigrations;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code --quality retrieval} on a database that is already enriched (for example by {@code
 * codegloss up CORPUS --until-done}), without enriching it again as {@code bench} does: prints
 * {@code {"spans":..,"enriched":..,"model_prose":..,"retrieval":{"queries":N,"mrr10":{..},
 * "recall10":{..}}}}. Same settings as the command that filled the database.
 *
 * <p>{@code java -cp cli/target/codegloss.jar io.codegloss.bench.RetrievalOnDatabase}
 */
public final class RetrievalOnDatabase {

  private RetrievalOnDatabase() {}

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.load(Map.of(), System.getenv(), null);
    try (OpenDatabase db =
        Databases.open(DbSettings.from(settings), Databases.home(settings), "retrieval", 4)) {
      DbMigrations.apply(db.database().dataSource());
      SpanStates.Counts counts = db.database().withConnection(c -> SpanStates.counts(c, null));
      Retrieval.Scores s = Measure.retrieval(db.database());
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("queries", s.queries());
      r.put("mrr10", s.mrr10());
      r.put("recall10", s.recall10());
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("spans", counts.spans());
      out.put("enriched", counts.enriched());
      out.put("model_prose", counts.modelProse());
      out.put("prose_failed", counts.failed());
      out.put("retrieval", r);
      System.out.println(
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
    }
  }
}
