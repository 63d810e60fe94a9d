/**
 * The batch planner: which pending spans are enriched together in one LLM call.
 *
 * <ul>
 *   <li>{@link io.codegloss.scheduler.plan.PendingSpans} reads pending spans whole file by whole
 *       file;
 *   <li>{@link io.codegloss.scheduler.plan.BatchPlanner} cuts them into {@link
 *       io.codegloss.scheduler.plan.PlannedBatch}es by the seed's rules, each with a {@link
 *       io.codegloss.scheduler.plan.CloseReason};
 *   <li>{@link io.codegloss.core.queue.JobSizing} sizes every job in tokens, for the planner and
 *       the worker alike;
 *   <li>{@link io.codegloss.scheduler.plan.ContextSpans} finds read-only neighbours for a job's
 *       prompt;
 *   <li>{@link io.codegloss.scheduler.plan.PlanJson} prints {@code codegloss plan --json}.
 * </ul>
 *
 * The rules, settings and reasons are described for operators in {@code
 * scheduler/docs/batch-planner.md}.
 */
@NullMarked
package io.codegloss.scheduler.plan;

import org.jspecify.annotations.NullMarked;
