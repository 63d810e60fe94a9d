package io.codegloss.scheduler.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codegloss.core.error.PermanentException;
import io.codegloss.scheduler.index.extract.Language;
import io.codegloss.scheduler.index.walk.SkipReason;
import io.codegloss.scheduler.index.walk.SkippedFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Input that must never crash the indexer, and must never reach the index when it is secret. */
class BadInputTest extends FreshIndexTest {

  private static final String GOOD = "def ok():\n    return 1\n";

  private String reasonOf(IndexReport report, String path) {
    return report.filesSkipped().stream()
        .filter(s -> s.path().equals(path))
        .map(SkippedFile::reason)
        .findFirst()
        .orElse(null);
  }

  @Test
  void aFileWithAnInvalidUtf8ByteKeepsItsSpansWithExactOffsets() throws Exception {
    fx.write("good.py", GOOD);
    // one Latin-1 byte in a comment, then two functions
    fx.writeBytes(
        "latin1.py",
        "# caf\u00e9\ndef first():\n    pass\n\ndef second():\n    return 2\n"
            .getBytes(StandardCharsets.ISO_8859_1));

    IndexReport report = fx.index();

    assertThat(reasonOf(report, "latin1.py")).isNull();
    assertThat(report.filesWithInvalidUtf8()).isEqualTo(1);
    assertThat(fx.spans()).containsKeys("good.py:ok", "latin1.py:first", "latin1.py:second");
    IndexFixture.Row second = fx.spans().get("latin1.py:second");
    assertThat(second.startLine()).isEqualTo(5);
    // "# caf" + the one replaced byte + "\n" is 7 bytes in the file (the decoded 'é' would be 8),
    // then "def first():\n" 13, "    pass\n" 9 and a blank line 1
    assertThat(second.startByte()).isEqualTo(7 + 13 + 9 + 1);
    assertThat(fx.string("select code from spans where symbol = 'second'"))
        .isEqualTo("def second():\n    return 2");
  }

  @Test
  void skipsBinaryFilesWithARecordedReason() throws Exception {
    fx.writeBytes("blob.py", new byte[] {'d', 'e', 'f', 0, 1, 2, 3});

    IndexReport report = fx.index();

    assertThat(reasonOf(report, "blob.py")).isEqualTo("binary");
    assertThat(fx.string("select detail from skipped_files where path = 'blob.py'"))
        .isEqualTo("NUL byte at offset 3");
  }

  @Test
  void skipsFilesOverTheConfiguredLimitAndIndexesThemOnceTheyFit() throws Exception {
    fx.write("big.py", GOOD + "# " + "x".repeat(200) + "\n");
    IndexSettings small = IndexSettings.defaults().withMaxFileBytes(100);

    IndexReport report = fx.index(small);
    assertThat(reasonOf(report, "big.py")).isEqualTo("too_large");
    assertThat(fx.count("select count(*) from spans")).isZero();

    IndexReport relaxed = fx.index(IndexSettings.defaults());
    assertThat(relaxed.filesSkipped()).isEmpty();
    assertThat(fx.count("select count(*) from skipped_files")).isZero();
    assertThat(fx.count("select count(*) from spans")).isEqualTo(1);
  }

  @Test
  void secretFilesNeverReachTheIndexNotEvenTheirContent() throws Exception {
    String secret = "AKIA_THIS_IS_A_SECRET_1234";
    fx.write(".env", "API_KEY=" + secret + "\n");
    fx.write(".env.local", "API_KEY=" + secret + "\n");
    fx.write("certs/server.pem", secret);
    fx.write("certs/server.key", secret);
    fx.write("keys/id_rsa", secret);
    fx.write("creds/credentials.json", "{\"k\": \"" + secret + "\"}");
    fx.write("store.p12", secret);
    fx.write("store.pfx", secret);
    fx.write("app.keystore", secret);
    fx.write(
        "embedded_key.py",
        "KEY = '''-----BEGIN RSA PRIVATE KEY-----\n"
            + secret
            + "\n-----END RSA PRIVATE KEY-----'''\n"
            + "def use():\n    return KEY\n");
    fx.write("app.py", GOOD);

    IndexReport report = fx.index();

    assertThat(report.filesSkipped())
        .extracting(SkippedFile::reason)
        .containsOnly("secret")
        .hasSize(10);
    assertThat(fx.count("select count(*) from spans where code like ?", "%" + secret + "%"))
        .isZero();
    assertThat(fx.count("select count(*) from files")).isEqualTo(1);
  }

  @Test
  void syntaxErrorsIndexWhatTheParserRecoversAndFlagTheFile() throws Exception {
    fx.write(
        "broken.py",
        "def fine(a):\n    return a\n\n\ndef broken(:\n    pass\n\n\ndef also_fine():\n"
            + "    return 2\n");

    IndexReport report = fx.index();

    assertThat(report.filesWithParseErrors()).isEqualTo(1);
    assertThat(fx.count("select count(*) from files where parse_errors")).isEqualTo(1);
    assertThat(fx.spans()).containsKeys("broken.py:fine", "broken.py:also_fine");
  }

  @Test
  void emptyAndCommentOnlyFilesAreIndexedWithoutSpans() throws Exception {
    fx.write("empty.py", "");
    fx.write("pkg/__init__.py", "# nothing here\n");

    IndexReport report = fx.index();

    assertThat(report.filesChanged()).isEqualTo(2);
    assertThat(report.spansTotal()).isZero();
    assertThat(fx.count("select count(*) from files where line_count = 0")).isEqualTo(1);
  }

  @Test
  void aHugeLineAndDeepNestingDoNotCrashIt() throws Exception {
    fx.write("minified.js", "var a=[" + "1,".repeat(200_000) + "];function f(){return a}\n");
    fx.write("deep.py", "x = " + "(".repeat(5_000) + "1" + ")".repeat(5_000) + "\n" + GOOD);

    IndexReport report = fx.index();

    assertThat(fx.spans())
        .as("skipped: %s", report.filesSkipped())
        .containsKeys("minified.js:f", "deep.py:ok");
    assertThat(report.filesSkipped()).isEmpty();
  }

  @Test
  @Timeout(60)
  void aParseThatRunsPastItsTimeLimitIsSkippedWithAReason() throws Exception {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      sb.append("def f").append(i).append("(a, b):\n    return [a + b for a in b if a]\n");
    }
    fx.write("slow.py", sb.toString());

    IndexReport report = fx.index(IndexSettings.defaults().withParseTimeoutMillis(1));

    assertThat(reasonOf(report, "slow.py")).isEqualTo("parse_failed");
    assertThat(fx.count("select count(*) from spans")).isZero();
  }

  @Test
  void aFileThatTurnsBinaryLeavesTheIndexWithItsSpans() throws Exception {
    fx.write("mod.py", GOOD);
    fx.index();
    assertThat(fx.count("select count(*) from spans")).isEqualTo(1);

    fx.writeBytes("mod.py", new byte[] {0, 0, 0});
    IndexReport report = fx.index();

    assertThat(reasonOf(report, "mod.py")).isEqualTo("binary");
    assertThat(report.filesRemoved()).isEqualTo(1);
    assertThat(report.spansRemoved()).isEqualTo(1);
    assertThat(fx.count("select count(*) from files")).isZero();
  }

  @Test
  void aFileDeletedOrReplacedAfterTheWalkIsTreatedAsGone() throws Exception {
    Path vanished = repo.resolve("vanished.py");
    assertThat(SourceContent.read(vanished, 1000, Language.PYTHON))
        .isInstanceOf(SourceContent.Gone.class);

    Files.createDirectories(repo.resolve("now_a_dir.py"));
    assertThat(SourceContent.read(repo.resolve("now_a_dir.py"), 1000, Language.PYTHON))
        .isInstanceOf(SourceContent.Gone.class);
  }

  @Test
  void aFileThatCannotBeReadIsSkippedAsUnreadable() throws Exception {
    // /proc/self/mem exists and is a regular file by its attributes, but reading it from the
    // start fails even for root: a dependable stand-in for a file the system refuses to read.
    Path mem = Path.of("/proc/self/mem");
    SourceContent.Read read = SourceContent.read(mem, 1000, Language.PYTHON);

    assertThat(read).isInstanceOf(SourceContent.Skip.class);
    assertThat(((SourceContent.Skip) read).reason()).isEqualTo(SkipReason.UNREADABLE);
  }

  @Test
  void aMissingRootIsAClearPermanentError() {
    assertThatThrownBy(() -> new Indexer(db, IndexSettings.defaults()).index(repo.resolve("nope")))
        .isInstanceOf(PermanentException.class)
        .hasMessageContaining("no such directory");
  }
}
