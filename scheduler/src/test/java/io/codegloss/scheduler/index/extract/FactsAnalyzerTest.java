package io.codegloss.scheduler.index.extract;

import static org.assertj.core.api.Assertions.assertThat;

import io.codegloss.core.facts.FileImport;
import io.codegloss.core.facts.SpanFacts;
import io.codegloss.core.facts.SpanFacts.Call;
import io.codegloss.core.facts.SpanFacts.LineRange;
import io.codegloss.core.facts.SpanFacts.Param;
import io.codegloss.core.facts.SpanFacts.Raise;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FactsAnalyzerTest {

  private static SpanExtractor extractor;

  @BeforeAll
  static void open() {
    extractor = new SpanExtractor(10_000);
  }

  @AfterAll
  static void close() {
    extractor.close();
  }

  static Extraction extract(Language language, String code) throws Exception {
    byte[] bytes = code.getBytes(StandardCharsets.UTF_8);
    Extraction e = extractor.extract(language, bytes, code);
    assertThat(e.facts()).hasSameSizeAs(e.spans());
    return e;
  }

  static SpanFacts facts(Extraction e, String symbol) {
    for (int i = 0; i < e.spans().size(); i++) {
      ExtractedSpan s = e.spans().get(i);
      if (s.symbol().equals(symbol)) {
        return e.facts().get(i);
      }
    }
    throw new AssertionError(
        "no span " + symbol + " in " + e.spans().stream().map(ExtractedSpan::symbol).toList());
  }

  static Set<String> effects(SpanFacts f) {
    return f.sideEffects().stream()
        .map(s -> s.kind().name().toLowerCase() + " " + s.detail() + " @" + s.line())
        .collect(Collectors.toCollection(java.util.TreeSet::new));
  }

  @Nested
  class Python {
    static final String CODE =
        """
        import os.path as osp
        import subprocess
        from datetime import datetime
        from .util import helper as h

        CACHE = {}
        COUNT = 0

        def load(self_like, path: str, mode="r", *rest, **kw) -> bytes:
            \"\"\"Reads a file.

            Returns its bytes.
            \"\"\"
            global COUNT
            COUNT += 1
            CACHE[path] = 1
            self_like.items.append(path)
            if not osp.exists(path):
                raise FileNotFoundError(path)
            with open(path, mode) as f:
                data = f.read()
            print(datetime.now(), os.environ["HOME"])
            subprocess.run(["ls"])

            def inner():
                return h(data)
            return data

        class Store:
            def put(self, key, value=None):
                self.data[key] = value
                self.count = 1
                try:
                    pass
                except Exception:
                    raise
                yield key
        """;

    @Test
    void readsParametersWithTypesAndDefaultsAndTheReturnType() throws Exception {
      SpanFacts f = facts(extract(Language.PYTHON, CODE), "load");
      assertThat(f.params())
          .containsExactly(
              new Param("self_like", null, null),
              new Param("path", "str", null),
              new Param("mode", null, "\"r\""),
              new Param("*rest", null, null),
              new Param("**kw", null, null));
      assertThat(f.returnType()).isEqualTo("bytes");
      assertThat(f.signature()).startsWith("def load(");
    }

    @Test
    void leavesOutTheSelfReceiverOfAMethod() throws Exception {
      SpanFacts f = facts(extract(Language.PYTHON, CODE), "Store.put");
      assertThat(f.params())
          .containsExactly(new Param("key", null, null), new Param("value", null, "None"));
    }

    @Test
    void keepsTheDocstringAndTheLinesItOccupies() throws Exception {
      SpanFacts f = facts(extract(Language.PYTHON, CODE), "load");
      assertThat(f.docstring()).isEqualTo("Reads a file.\n\nReturns its bytes.");
      assertThat(f.docLines()).isEqualTo(new LineRange(10, 13));
    }

    @Test
    void findsReturnsAndRaisesOfTheSpanItselfButNotOfNestedFunctions() throws Exception {
      Extraction e = extract(Language.PYTHON, CODE);
      SpanFacts f = facts(e, "load");
      assertThat(f.returnLines()).containsExactly(27);
      assertThat(f.raises()).containsExactly(new Raise("FileNotFoundError", 19));
      assertThat(facts(e, "load.inner").returnLines()).containsExactly(26);
      assertThat(facts(e, "load.inner").calls()).containsExactly(new Call("h", null, 26));
      assertThat(f.calls()).extracting(Call::name).doesNotContain("h");
      SpanFacts put = facts(e, "Store.put");
      assertThat(put.raises()).containsExactly(new Raise("(re-raise)", 36));
      assertThat(put.returnLines()).containsExactly(37);
    }

    @Test
    void recordsCallsWithTheirReceiverAsWritten() throws Exception {
      SpanFacts f = facts(extract(Language.PYTHON, CODE), "load");
      assertThat(f.calls())
          .contains(
              new Call("exists", "osp", 18),
              new Call("open", null, 20),
              new Call("now", "datetime", 22),
              new Call("run", "subprocess", 23));
    }

    @Test
    void findsSideEffectCandidatesWithTheirLines() throws Exception {
      Extraction e = extract(Language.PYTHON, CODE);
      assertThat(effects(facts(e, "load")))
          .contains(
              "global_write COUNT @15",
              "global_write CACHE[path] @16",
              "param_write self_like.items.append @17",
              "file os.path.exists @18",
              "file open @20",
              "console print @22",
              "clock datetime.datetime.now @22",
              "environment os.environ @22",
              "process subprocess.run @23");
      assertThat(effects(facts(e, "Store.put")))
          .containsExactlyInAnyOrder(
              "field_write self.data[key] @31", "field_write self.count @32");
    }

    @Test
    void readsTheFileImportsWithAliases() throws Exception {
      assertThat(extract(Language.PYTHON, CODE).imports())
          .contains(
              new FileImport("os.path", null, "osp"),
              new FileImport("subprocess", null, "subprocess"),
              new FileImport("datetime", "datetime", "datetime"),
              new FileImport(".util", "helper", "h"));
    }

    @Test
    void aSyntaxErrorInOneFunctionLeavesTheOtherFunctionsFactsIntact() throws Exception {
      String code =
          """
          def broken(x):
              return (x +

          def fine(a):
              print(a)
              return a
          """;
      Extraction e = extract(Language.PYTHON, code);
      SpanFacts f = facts(e, "fine");
      assertThat(f.calls()).contains(new Call("print", null, 5));
      assertThat(f.returnLines()).containsExactly(6);
    }
  }

  @Nested
  class TypeScript {
    static final String CODE =
        """
        import fs from 'fs';
        import { run as go } from './runner';
        const { execSync } = require('child_process');
        let counter = 0;

        /**
         * Saves a user.
         * @param user the user
         */
        export async function save(user: User, retries = 3, ...rest: string[]): Promise<void> {
          this.saved = true;
          user.name = 'x';
          counter = counter + 1;
          console.log(process.env.HOME, Date.now(), Math.random());
          const data = await fetch('http://x');
          fs.writeFileSync('a', 'b');
          execSync('ls');
          go(user);
          if (!user) {
            throw new TypeError('no user');
          }
          return data;
        }

        class Repo {
          constructor(private readonly db: Db) {}
          find(id: string): User {
            return this.db.get(id);
          }
        }
        """;

    @Test
    void readsParametersReturnTypeAndJsDoc() throws Exception {
      SpanFacts f = facts(extract(Language.TYPESCRIPT, CODE), "save");
      assertThat(f.params())
          .containsExactly(
              new Param("user", "User", null),
              new Param("retries", null, "3"),
              new Param("...rest", "string[]", null));
      assertThat(f.returnType()).isEqualTo("Promise<void>");
      assertThat(f.docstring()).isEqualTo("Saves a user.\n@param user the user");
      assertThat(f.docLines()).isEqualTo(new LineRange(6, 9));
    }

    @Test
    void findsReturnsThrowsCallsAndSideEffects() throws Exception {
      Extraction e = extract(Language.TYPESCRIPT, CODE);
      SpanFacts f = facts(e, "save");
      assertThat(f.returnLines()).containsExactly(22);
      assertThat(f.raises()).containsExactly(new Raise("TypeError", 20));
      assertThat(f.calls()).contains(new Call("go", null, 18), new Call("log", "console", 14));
      assertThat(effects(f))
          .contains(
              "field_write this.saved @11",
              "param_write user.name @12",
              "global_write counter @13",
              "console console.log @14",
              "environment process.env @14",
              "clock Date.now @14",
              "random Math.random @14",
              "network fetch @15",
              "file fs.writeFileSync @16",
              "process child_process.execSync @17");
      assertThat(facts(e, "Repo.find").calls())
          .containsExactly(new Call("get", "this.db", 28, "Db"));
    }

    @Test
    void readsImportsAndRequires() throws Exception {
      assertThat(extract(Language.TYPESCRIPT, CODE).imports())
          .contains(
              new FileImport("fs", "default", "fs"),
              new FileImport("./runner", "run", "go"),
              new FileImport("child_process", "execSync", "execSync"));
    }
  }

  @Nested
  class Java {
    static final String CODE =
        """
        package a.b;

        import java.nio.file.Files;
        import com.acme.Repo;

        class Service {
          private final Repo repo;
          private int calls;

          /** Finds a user. */
          public User find(final String id, int... more) throws IOException {
            calls++;
            this.calls = 2;
            Cache cache = new Cache();
            cache.put(id);
            System.out.println(System.getenv("HOME"));
            long t = System.currentTimeMillis();
            Files.readString(null);
            if (id == null) {
              throw new IllegalArgumentException("id");
            }
            return repo.load(id);
          }
        }
        """;

    @Test
    void readsParametersReturnTypeAndJavadoc() throws Exception {
      SpanFacts f = facts(extract(Language.JAVA, CODE), "Service.find");
      assertThat(f.params())
          .containsExactly(new Param("id", "String", null), new Param("more", "int...", null));
      assertThat(f.returnType()).isEqualTo("User");
      assertThat(f.docstring()).isEqualTo("Finds a user.");
      assertThat(f.docLines()).isEqualTo(new LineRange(10, 10));
    }

    @Test
    void findsThrowsCallsWithReceiverTypesAndSideEffects() throws Exception {
      SpanFacts f = facts(extract(Language.JAVA, CODE), "Service.find");
      assertThat(f.raises()).containsExactly(new Raise("IllegalArgumentException", 20));
      assertThat(f.returnLines()).containsExactly(22);
      assertThat(f.calls())
          .contains(
              new Call("Cache", null, 14),
              new Call("put", "cache", 15, "Cache"),
              new Call("load", "repo", 22, "Repo"));
      assertThat(effects(f))
          .contains(
              "field_write calls @12",
              "field_write this.calls @13",
              "console System.out.println @16",
              "environment System.getenv @16",
              "clock System.currentTimeMillis @17",
              "file Files.readString @18");
    }

    @Test
    void readsImports() throws Exception {
      assertThat(extract(Language.JAVA, CODE).imports())
          .containsExactly(
              new FileImport("java.nio.file", "Files", "Files"),
              new FileImport("com.acme", "Repo", "Repo"));
    }
  }

  @Nested
  class Go {
    static final String CODE =
        """
        package store

        import (
        	"fmt"
        	"os"
        	u "example.com/x/util"
        )

        var hits int

        type Store struct {
        	repo *Repo
        }

        // Get loads a value.
        // It may panic.
        func (s *Store) Get(key string, n, m int, opts ...string) (string, error) {
        	s.count = 1
        	hits = hits + 1
        	v := u.Clean(key)
        	fmt.Println(v, os.Getenv("HOME"))
        	s.repo.Load(key)
        	if v == "" {
        		panic("empty")
        	}
        	return v, nil
        }
        """;

    @Test
    void readsParametersResultAndDocComment() throws Exception {
      SpanFacts f = facts(extract(Language.GO, CODE), "Store.Get");
      assertThat(f.params())
          .containsExactly(
              new Param("key", "string", null),
              new Param("n", "int", null),
              new Param("m", "int", null),
              new Param("opts", "...string", null));
      assertThat(f.returnType()).isEqualTo("(string, error)");
      assertThat(f.docstring()).isEqualTo("Get loads a value.\nIt may panic.");
      assertThat(f.docLines()).isEqualTo(new LineRange(15, 16));
    }

    @Test
    void findsReturnsPanicsCallsAndSideEffects() throws Exception {
      SpanFacts f = facts(extract(Language.GO, CODE), "Store.Get");
      assertThat(f.returnLines()).containsExactly(26);
      assertThat(f.raises()).containsExactly(new Raise("panic", 24));
      assertThat(f.calls())
          .contains(new Call("Clean", "u", 20), new Call("Load", "s.repo", 22, "Repo"));
      assertThat(effects(f))
          .contains(
              "field_write s.count @18",
              "global_write hits @19",
              "console fmt.Println @21",
              "environment os.Getenv @21");
    }

    @Test
    void readsImportsWithAliases() throws Exception {
      assertThat(extract(Language.GO, CODE).imports())
          .containsExactly(
              new FileImport("fmt", null, "fmt"),
              new FileImport("os", null, "os"),
              new FileImport("example.com/x/util", null, "u"));
    }
  }

  @Nested
  class OtherLanguages {
    @Test
    void rustGetsSignatureCallsAndDocComment() throws Exception {
      String code =
          "/// Adds one.\nfn inc(x: i32) -> i32 {\n    let v = Foo::new();\n    v.bar(x)\n}\n";
      SpanFacts f = facts(extract(Language.RUST, code), "inc");
      assertThat(f.signature()).isEqualTo("fn inc(x: i32) -> i32");
      assertThat(f.docstring()).isEqualTo("Adds one.");
      assertThat(f.calls()).containsExactly(new Call("new", "Foo", 3), new Call("bar", "v", 4));
    }

    @Test
    void rubyGetsCallsAndDocComment() throws Exception {
      String code = "# Greets.\ndef greet(name)\n  puts name\n  name.upcase\nend\n";
      SpanFacts f = facts(extract(Language.RUBY, code), "greet");
      assertThat(f.docstring()).isEqualTo("Greets.");
      assertThat(f.calls()).extracting(Call::name).contains("puts", "upcase");
    }

    @Test
    void cAndCSharpGetCalls() throws Exception {
      assertThat(facts(extract(Language.C, "int f(int a) {\n  return g(a);\n}\n"), "f").calls())
          .containsExactly(new Call("g", null, 2));
      assertThat(
              facts(
                      extract(
                          Language.CSHARP, "class A {\n  void M() {\n    Foo.Bar(1);\n  }\n}\n"),
                      "A.M")
                  .calls())
          .containsExactly(new Call("Bar", "Foo", 3));
    }
  }
}
