package supervision;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import support.Backoff;

import java.util.ArrayList;
import java.util.List;

/**
 * Starts one JVM per {@link ChildSpec} and keeps it running (restart delay 1 s doubling to 60 s, reset after a stable
 * minute); on undeploy, stops them all. Children exit by themselves if this JVM dies ({@link ParentWatch}).
 * Config: {@code restartInitialMs}, {@code restartMaxMs}, {@code stableMs}, {@code stopGraceMs}.
 */
public final class SupervisorVerticle extends VerticleBase {

  private final List<ChildSpec> specs;
  private final List<ChildProcess> children = new ArrayList<>();
  private long stopGraceMs;

  private SupervisorVerticle(List<ChildSpec> specs) {
    this.specs = List.copyOf(specs);
  }

  /**
   * Deploys a supervisor of these children. It runs on a worker thread: starting a process (fork and exec) and
   * writing a child's config file block, which an event loop must not.
   */
  public static Future<String> deploy(Vertx vertx, List<ChildSpec> children, JsonObject supervisorConfig) {
    return vertx.deployVerticle(new SupervisorVerticle(children),
      new DeploymentOptions().setConfig(supervisorConfig).setThreadingModel(ThreadingModel.WORKER));
  }

  @Override
  public Future<?> start() {
    JsonObject config = config();
    stopGraceMs = config.getLong("stopGraceMs", 10_000L);
    for (ChildSpec spec : specs) {
      Backoff backoff = new Backoff(config.getLong("restartInitialMs", 1_000L), config.getLong("restartMaxMs", 60_000L), false);
      ChildProcess child = new ChildProcess(vertx, context, spec, backoff, config.getLong("stableMs", 60_000L));
      children.add(child);
      child.start();
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return Future.join(children.stream().map(child -> child.stop(stopGraceMs)).toList());
  }
}
