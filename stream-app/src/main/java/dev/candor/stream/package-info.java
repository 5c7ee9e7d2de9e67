/**
 * The Candor stream app: explained moderation over Kafka Streams.
 *
 * <p>{@link dev.candor.stream.StreamAppConfig} declares every {@code candor.*} key; {@link
 * dev.candor.stream.CandorTopology#build} is the pure topology factory; {@link
 * dev.candor.stream.ModelHandle} holds the hot-swappable model; {@link dev.candor.stream.StreamApp}
 * runs it all (exactly-once, metrics on HTTP) and {@link dev.candor.stream.StreamAppMain} is the
 * process entry point. {@link dev.candor.stream.flags.SpuriousFlagRule} is the plug-in point for
 * detectors ({@link dev.candor.stream.flags.FlagContext} gives them the model and the reviewers'
 * marks, {@link dev.candor.stream.flags.FlagEvaluator} runs them); the built-in ones are {@link
 * dev.candor.stream.flags.SpecialTokenMassRule}, {@link dev.candor.stream.flags.ArtifactTokenRule},
 * {@link dev.candor.stream.flags.IdentityTermRule} (with {@link
 * dev.candor.stream.flags.IdentityLexicon}), {@link
 * dev.candor.stream.flags.CounterfactualSwapRule}, {@link
 * dev.candor.stream.flags.ReviewerRejectedTokenRule} and {@link
 * dev.candor.stream.flags.ThinEvidenceRule} (docs/detectors.md). Everything in {@code
 * dev.candor.stream.internals} may change without notice.
 */
package dev.candor.stream;
