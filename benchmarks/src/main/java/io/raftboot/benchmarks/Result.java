package io.raftboot.benchmarks;

import java.util.Arrays;
import java.util.List;

/**
 * One measured metric: a row of {@code benchmarks/results/<date>.csv}. A single figure (a rate,
 * a size) has n = 1 and the same value in every percentile column. {@code samples} are kept for
 * the plots (not written to the CSV).
 *
 * @param goal the goal as text ("p99 <= 300 ms"), empty if none
 */
public record Result(
        String scenario,
        String system,
        String metric,
        int n,
        double p50,
        double p90,
        double p99,
        double max,
        String unit,
        String settings,
        String goal,
        double[] samples) {

    public static final String OURS = "raft-spring-boot";
    public static final String RATIS = "ratis-3.3.0";

    public static Result of(
            String scenario,
            String system,
            String metric,
            List<Double> values,
            String unit,
            String settings,
            String goal) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (v.length == 0) {
            return new Result(
                    scenario,
                    system,
                    metric,
                    0,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    unit,
                    settings,
                    goal,
                    v);
        }
        return new Result(
                scenario,
                system,
                metric,
                v.length,
                pct(v, 50),
                pct(v, 90),
                pct(v, 99),
                v[v.length - 1],
                unit,
                settings,
                goal,
                v);
    }

    public static Result single(
            String scenario, String system, String metric, double value, String unit, String settings, String goal) {
        return new Result(
                scenario, system, metric, 1, value, value, value, value, unit, settings, goal, new double[] {value});
    }

    /** Nearest-rank percentile of sorted values. */
    public static double pct(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    public boolean isSingle() {
        return n == 1 && p50 == max;
    }

    public static String csvHeader() {
        return "scenario,system,metric,n,p50,p90,p99,max,unit,settings,goal";
    }

    public String csvLine() {
        return String.join(
                ",",
                csv(scenario),
                csv(system),
                csv(metric),
                Integer.toString(n),
                num(p50),
                num(p90),
                num(p99),
                num(max),
                csv(unit),
                csv(settings),
                csv(goal));
    }

    public static String num(double d) {
        if (Double.isNaN(d)) {
            return "";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e12) {
            return Long.toString((long) d);
        }
        return Math.abs(d) >= 100
                ? String.format("%.1f", d)
                : Math.abs(d) >= 1 ? String.format("%.2f", d) : String.format("%.3f", d);
    }

    private static String csv(String s) {
        if (s == null) {
            return "";
        }
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    @Override
    public String toString() {
        return scenario + " " + system + " " + metric + " n=" + n + " p50=" + num(p50) + " p90=" + num(p90) + " p99="
                + num(p99) + " max=" + num(max) + " " + unit + (samples.length > 0 ? "" : Arrays.toString(samples));
    }
}
