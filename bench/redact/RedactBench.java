import io.codegloss.core.span.SecretRedactor;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Benchmark of {@code bench/redact/run.sh}: SecretRedactor over every {@code .py} file under a
 * folder (files that are not UTF-8 are left out), five passes after one to warm up; prints the
 * median pass as one line with nanoseconds per character, the secrets cut out and a digest of the
 * redacted text, so two builds can be compared for speed and for the same output.
 */
public class RedactBench {
  public static void main(String[] args) throws Exception {
    List<String> texts = new ArrayList<>();
    long chars = 0;
    try (Stream<Path> files = Files.walk(Path.of(args[0]))) {
      for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".py"))::iterator) {
        try {
          String text = Files.readString(p, StandardCharsets.UTF_8);
          texts.add(text);
          chars += text.length();
        } catch (CharacterCodingException e) {
          // not UTF-8: the indexer reads such files differently; left out here
        } catch (IOException e) {
          // unreadable (a broken link): left out
        }
      }
    }
    List<Long> passes = new ArrayList<>();
    int secrets = 0;
    String digest = "";
    for (int pass = 0; pass < 6; pass++) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      secrets = 0;
      long t0 = System.nanoTime();
      for (String text : texts) {
        SecretRedactor.Redacted r = SecretRedactor.redact(text);
        secrets += r.count();
        sha.update(r.text().getBytes(StandardCharsets.UTF_8));
      }
      if (pass > 0) {
        passes.add(System.nanoTime() - t0);
      }
      digest = HexFormat.of().formatHex(sha.digest()).substring(0, 12);
    }
    passes.sort(null);
    long median = passes.get(passes.size() / 2);
    System.out.printf(
        "files=%d chars=%d median_pass_ms=%.0f ns_per_char=%.1f secrets=%d output_sha256=%s%n",
        texts.size(), chars, median / 1e6, (double) median / chars, secrets, digest);
  }
}
