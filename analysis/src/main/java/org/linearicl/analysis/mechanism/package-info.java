/**
 * What the trained models do inside: the five analyses of the {@code mechanism} stage
 * ({@link org.linearicl.analysis.mechanism.AblationAnalysis}, {@link
 * org.linearicl.analysis.mechanism.DiagonalityAnalysis}, {@link
 * org.linearicl.analysis.mechanism.AdaptationAnalysis}, {@link
 * org.linearicl.analysis.mechanism.ConstructionAnalysis}, {@link
 * org.linearicl.analysis.mechanism.AlignmentAnalysis}), each turning its computation ({@code
 * Ablation}, {@code Diagonality}, {@code NoiseAdaptation}, {@code TwoLevelConstruction}, {@code
 * Alignment}, on the omega form of {@code OmegaForward}) into its tables, its figure and its
 * section of the findings, handed to {@link org.linearicl.analysis.mechanism.Findings}.
 *
 * <p>It may import core, baselines, experiments' results and stage contract, {@code
 * org.linearicl.analysis} and its packages {@code inputs}, {@code table} and {@code figure};
 * never {@code analysis.kinds}, whose {@code MechanismKind} runs the analyses and publishes what
 * they found.
 */
package org.linearicl.analysis.mechanism;
