/**
 * Owner classes of tables: each class holds all SQL of one table, as plain JDBC on a connection the
 * caller owns (and so inside the caller's transaction).
 */
package io.codegloss.core.store;
