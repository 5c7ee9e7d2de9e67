package dev.candor.evaluation;

/**
 * One (model, explainer) line of an evaluation report. Null means "not measured"; NaN is stored as
 * null so an undefined metric can never print as a number. Bias columns are the Jigsaw power means.
 */
public record ReportRow(String model, String explainer, Double accuracy, Double macroF1, Double auroc,
                        Double comp, Double suff, Double seqPg, Double plausibilityAuprc,
                        Double biasSubgroupAuc, Double biasBpsnAuc, Double biasBnspAuc,
                        Double explainMsPerText) {

    public ReportRow {
        if (model == null || explainer == null) {
            throw new IllegalArgumentException("model and explainer are required");
        }
        accuracy = finite(accuracy);
        macroF1 = finite(macroF1);
        auroc = finite(auroc);
        comp = finite(comp);
        suff = finite(suff);
        seqPg = finite(seqPg);
        plausibilityAuprc = finite(plausibilityAuprc);
        biasSubgroupAuc = finite(biasSubgroupAuc);
        biasBpsnAuc = finite(biasBpsnAuc);
        biasBnspAuc = finite(biasBnspAuc);
        explainMsPerText = finite(explainMsPerText);
    }

    public static Builder builder(String model, String explainer) {
        return new Builder(model, explainer);
    }

    private static Double finite(Double v) {
        return v == null || !Double.isFinite(v) ? null : v;
    }

    public static final class Builder {
        private final String model;
        private final String explainer;
        private Double accuracy, macroF1, auroc, comp, suff, seqPg, plausibilityAuprc;
        private Double biasSubgroupAuc, biasBpsnAuc, biasBnspAuc, explainMsPerText;

        private Builder(String model, String explainer) {
            this.model = model;
            this.explainer = explainer;
        }

        public Builder classification(ClassificationReport r) {
            accuracy = r.accuracy();
            macroF1 = r.macroF1();
            auroc = r.auroc();
            return this;
        }

        public Builder bias(BiasReport r) {
            biasSubgroupAuc = r.subgroupPowerMean();
            biasBpsnAuc = r.bpsnPowerMean();
            biasBnspAuc = r.bnspPowerMean();
            return this;
        }

        public Builder accuracy(Double v) { accuracy = v; return this; }

        public Builder macroF1(Double v) { macroF1 = v; return this; }

        public Builder auroc(Double v) { auroc = v; return this; }

        public Builder comp(Double v) { comp = v; return this; }

        public Builder suff(Double v) { suff = v; return this; }

        public Builder seqPg(Double v) { seqPg = v; return this; }

        public Builder plausibilityAuprc(Double v) { plausibilityAuprc = v; return this; }

        public Builder biasSubgroupAuc(Double v) { biasSubgroupAuc = v; return this; }

        public Builder biasBpsnAuc(Double v) { biasBpsnAuc = v; return this; }

        public Builder biasBnspAuc(Double v) { biasBnspAuc = v; return this; }

        public Builder explainMsPerText(Double v) { explainMsPerText = v; return this; }

        public ReportRow build() {
            return new ReportRow(model, explainer, accuracy, macroF1, auroc, comp, suff, seqPg,
                    plausibilityAuprc, biasSubgroupAuc, biasBpsnAuc, biasBnspAuc, explainMsPerText);
        }
    }
}
