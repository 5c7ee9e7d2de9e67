package dev.candor.cli;

import dev.candor.model.train.ClassificationMetrics;
import dev.candor.model.train.TrainingListener;
import java.io.PrintWriter;
import java.util.Locale;

/** Draws the training progress bar and one line per epoch ({@code train} and the bootstrap). */
final class TrainingProgress implements TrainingListener {
  private final PrintWriter err;
  private final int epochs;
  private ProgressBar bar;
  private int barEpoch;
  private ProgressBar teacherBar;
  private long teacherStart;
  private ProgressBar realignBar;

  TrainingProgress(PrintWriter err, int epochs) {
    this.err = err;
    this.epochs = epochs;
  }

  @Override
  public void onStep(int epoch, int step, int steps, double loss, double rate, double eta) {
    if (bar == null || barEpoch != epoch) {
      bar = new ProgressBar(err, "epoch " + epoch + "/" + epochs);
      barEpoch = epoch;
    }
    bar.update(
        step,
        steps,
        String.format(
            Locale.ROOT, "loss %.4f %.1f texts/s ETA %s", loss, rate, ProgressBar.duration(eta)),
        step == steps);
  }

  @Override
  public void onTeacher(int done, int total) {
    if (teacherBar == null) {
      teacherBar = new ProgressBar(err, "teacher");
      teacherStart = System.nanoTime();
    }
    double seconds = Math.max((System.nanoTime() - teacherStart) / 1e9, 1e-9);
    double rate = done / seconds;
    teacherBar.update(
        done,
        total,
        String.format(
            Locale.ROOT,
            "texts scored %.1f texts/s ETA %s",
            rate,
            ProgressBar.duration(rate > 0 ? (total - done) / rate : Double.NaN)),
        done == total);
  }

  @Override
  public void onRealign(long step, long steps, double loss, double rate, double eta) {
    if (realignBar == null) {
      realignBar = new ProgressBar(err, "re-align");
    }
    realignBar.update(
        step,
        steps,
        String.format(
            Locale.ROOT,
            "loss (1-cos) %.4f %.1f texts/s ETA %s",
            loss,
            rate,
            ProgressBar.duration(eta)),
        step == steps);
  }

  @Override
  public void onEpoch(int epoch, ClassificationMetrics v, boolean best) {
    err.printf(
        Locale.ROOT,
        "epoch %d validation: accuracy %.4f macro-F1 %.4f AUROC %.4f%s%n",
        epoch,
        v.accuracy(),
        v.macroF1(),
        v.auroc(),
        best ? " (best so far)" : "");
    err.flush();
  }
}
