/**
 * The command line (picocli): {@link org.linearicl.pipeline.cli.Main} and one class per command
 * ({@code run}, {@code status}, {@code train}, {@code evaluate}, ...), their shared options and
 * the conversion of what the user typed into checked values.
 *
 * <p>The top of the layering: may import every pipeline package and every lower module. Exit
 * codes: 0 success, 1 a failure of the computation or the environment, 2 a user mistake (a
 * {@link org.linearicl.experiments.stage.UserMistake}, such as {@link
 * org.linearicl.pipeline.cli.UserError}, or an IllegalArgumentException: {@code Main} prints
 * one {@code error:} line each, no stack trace), 130 and 143 a run ended by SIGINT or SIGTERM.
 */
package org.linearicl.pipeline.cli;
