package io.codegloss.core.facts;

import org.jspecify.annotations.Nullable;

/**
 * One import of a file, as the resolver needs it to turn a call's name into a span.
 *
 * @param module the module, package or path imported from, as written ({@code os.path}, {@code
 *     ./util}, {@code com.acme.Util}, {@code example.com/x/util})
 * @param name the imported name, or null when the whole module is imported
 * @param alias the local name it is bound to ({@code np}, {@code Util}), never null: the module's
 *     or the name's own local name when no alias is written
 */
public record FileImport(String module, @Nullable String name, String alias) {}
