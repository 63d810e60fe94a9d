package io.codegloss.worker.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.codegloss.core.db.Database;
import io.codegloss.core.enrich.Enrichment;
import io.codegloss.core.enrich.Evidence;
import io.codegloss.core.note.ShowResult;
import io.codegloss.core.note.ShowResult.ShownSpan;
import io.codegloss.core.note.SpanNotes;
import io.codegloss.core.span.Span;
import io.codegloss.core.store.JobKind;
import io.codegloss.core.store.RetryPolicy;
import io.codegloss.core.store.SpanLinkTable;
import io.codegloss.testing.Seed;
import io.codegloss.testing.TestDatabase;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SpanNotesTest {

  private TestDatabase testDb;
  private Database db;
  private Seed seed;
  private long repo;
  private Span userClass;
  private Span setEmail;
  private Span validateEmail;
  private Span signup;

  @BeforeEach
  void setUp() {
    testDb = TestDatabase.fresh();
    db = testDb.database();
    seed = Seed.into(testDb);
    repo = seed.repo("/src/shop").repoId();
    long userFile = seed.file("app/user.py").fileId();
    long signupFile = seed.file("app/signup.py").fileId();
    seed.inFile(userFile);
    userClass = span("User", 1, 30);
    setEmail = span("User.set_email", 13, 16);
    validateEmail = span("User.validate_email", 18, 19);
    seed.inFile(signupFile);
    signup = span("signup", 1, 12);
    EnrichmentStore store = new EnrichmentStore(RetryPolicy.defaults());
    store(
        store,
        setEmail,
        new Enrichment(
            "Sets the user's email after validate_email accepts it.",
            List.of("email: str"),
            List.of(),
            List.of("overwrites self._email"),
            List.of("raises ValueError on a bad address"),
            "user.set_email('a@b.c')",
            List.of(new Evidence("summary_120w", 13, 16), new Evidence("pitfalls", 14, 15)),
            List.of("validate_email")));
    store(
        store,
        signup,
        new Enrichment(
            "Creates a user from a form and sets its email.",
            List.of("form: dict"),
            List.of("User"),
            List.of(),
            List.of(),
            null,
            List.of(),
            List.of("User.set_email")));
  }

  /** A span with the signature the indexer would have read from its first line. */
  private Span span(String symbol, int start, int end) {
    String name = symbol.substring(symbol.lastIndexOf('.') + 1);
    return seed.span(symbol, s -> s.lines(start, end).signature("def " + name + "(self):"))
        .spanRow()
        .toSpan();
  }

  private void store(EnrichmentStore store, Span span, Enrichment e) {
    StoreMeta meta =
        StoreMeta.of("gemma-3-1b", "ollama", 1, JobKind.BATCH, "w1", UUID.randomUUID());
    Database.TxWork<EnrichmentStore.StoreResult> work = c -> store.store(c, span, e, meta);
    db.inTransaction(work);
  }

  @AfterEach
  void tearDown() {
    testDb.close();
  }

  @Test
  void showsASymbolWithItsEnrichmentAndRelatedSpansBothWays() {
    ShowResult r = SpanNotes.show(db, repo, "User.set_email");
    assertThat(r.matchedBy()).isEqualTo("symbol");
    assertThat(r.spans()).hasSize(1);
    ShownSpan s = r.spans().get(0);
    assertThat(s.span().id()).isEqualTo(setEmail.id());
    assertThat(s.enrichment().current()).isTrue();
    assertThat(s.enrichment().model()).isEqualTo("gemma-3-1b");
    assertThat(s.enrichment().enrichment().pitfalls())
        .containsExactly("raises ValueError on a bad address");
    assertThat(s.relatesTo())
        .extracting(SpanLinkTable.Linked::spanId)
        .containsExactly(validateEmail.id());
    assertThat(s.relatedFrom())
        .extracting(SpanLinkTable.Linked::spanId)
        .containsExactly(signup.id());

    String text = r.render();
    assertThat(text)
        .startsWith("app/user.py:13-16  method User.set_email  (python)\n")
        .contains("  Sets the user's email after validate_email accepts it.\n")
        .contains("  Pitfalls:     raises ValueError on a bad address\n")
        .contains("  Meanings:     email: str\n")
        .contains("  Relates to:   User.validate_email (app/user.py:18-19)\n")
        .contains("  Related from: signup (app/signup.py:1-12)\n")
        .contains("-- gemma-3-1b via ollama, batch, prompt v2");
  }

  @Test
  void showsABareNameWhenNoSymbolMatches() {
    ShowResult r = SpanNotes.show(db, repo, "set_email");
    assertThat(r.matchedBy()).isEqualTo("name");
    assertThat(r.spans()).extracting(s -> s.span().id()).containsExactly(setEmail.id());
  }

  @Test
  void showsTheInnermostSpanAroundAFileLine() {
    ShowResult r = SpanNotes.show(db, repo, "app/user.py:14");
    assertThat(r.matchedBy()).isEqualTo("file_line");
    assertThat(r.spans()).extracting(s -> s.span().id()).containsExactly(setEmail.id());
    assertThat(SpanNotes.show(db, repo, "app/user.py:25").spans())
        .extracting(s -> s.span().id())
        .containsExactly(userClass.id());
  }

  @Test
  void showsEverySpanOfAFileGivenByAUniqueSuffix() {
    ShowResult r = SpanNotes.show(db, repo, "user.py");
    assertThat(r.matchedBy()).isEqualTo("file");
    assertThat(r.spans())
        .extracting(s -> s.span().id())
        .containsExactly(userClass.id(), setEmail.id(), validateEmail.id());
    assertThat(r.render())
        .contains("User.validate_email")
        .as("a span seeded without facts has no note yet")
        .contains("state: not_indexed");
  }

  @Test
  void marksANoteWhoseCodeChangedAsStale() {
    seed.editSpan(setEmail.id());
    ShowResult r = SpanNotes.show(db, repo, "User.set_email");
    assertThat(r.spans().get(0).enrichment().current()).isFalse();
    assertThat(r.render()).contains("(stale: the code changed after this note was written)");
  }

  @Test
  void saysSoWhenNothingMatches() {
    ShowResult r = SpanNotes.show(db, repo, "no_such_thing");
    assertThat(r.isEmpty()).isTrue();
    assertThat(r.matchedBy()).isEqualTo("none");
    assertThat(r.render()).isEqualTo("no span matches 'no_such_thing'\n");
  }

  @Test
  void keepsRepositoriesApart() {
    long other = seed.repo("/src/other").repoId();
    assertThat(SpanNotes.show(db, other, "User.set_email").isEmpty()).isTrue();
  }
}
