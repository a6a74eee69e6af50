package io.raftboot.benchmarks.jmh;

import io.raftboot.benchmarks.Result;
import io.raftboot.benchmarks.Run;
import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs the JMH benchmarks (one fork each) and turns their scores into results. */
public final class JmhRunner {

    public static final String SCENARIO = "9-jmh";

    private final Run run;

    public JmhRunner(Run run) {
        this.run = run;
    }

    public void measure(boolean quick) throws Exception {
        int wi = quick ? 1 : 2;
        int mi = quick ? 1 : 3;
        int seconds = quick ? 1 : 2;
        Options options = new OptionsBuilder()
                .include(RaftNodeStep.class.getName())
                .include(FileStorageAppend.class.getName())
                .forks(1)
                .warmupIterations(wi)
                .warmupTime(TimeValue.seconds(seconds))
                .measurementIterations(mi)
                .measurementTime(TimeValue.seconds(seconds))
                .jvmArgs("-Xms512m", "-Xmx512m", "-Dbench.jmh.dir=" + run.workDir.resolve("jmh-storage"))
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        String settings = "JMH 1.37, 1 fork, " + wi + " x " + seconds + " s warm-up, " + mi + " x " + seconds
                + " s measurement, -Xmx512m";
        for (RunResult r : results) {
            String bench = r.getParams().getBenchmark();
            String name = bench.substring(bench.lastIndexOf('.', bench.lastIndexOf('.') - 1) + 1);
            org.openjdk.jmh.results.Result<?> p = r.getPrimaryResult();
            String batch = r.getParams().getParam("batch");
            double score = p.getScore();
            String unit = p.getScoreUnit();
            if (batch != null) {
                int b = Integer.parseInt(batch);
                name = name + " (batch " + b + ", entries/s = batches/s x " + b + ")";
                run.add(Result.single(
                        SCENARIO,
                        Result.OURS,
                        name.replace("persistBatchWithOneFsync", "entries persisted")
                                .replace(", entries/s = batches/s x " + b, ""),
                        score * b,
                        "entries/s",
                        settings + "; fsyncs/s = " + Result.num(score) + " +- " + Result.num(p.getScoreError()),
                        ""));
            } else {
                run.add(Result.single(
                        SCENARIO,
                        Result.OURS,
                        name,
                        score,
                        unit.replace("ops/s", "steps/s"),
                        settings + "; +- " + Result.num(p.getScoreError()) + " (99.9% CI)",
                        ""));
            }
        }
    }
}
