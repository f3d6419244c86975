package app;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the {@code -conf} argument: a JSON file, or inline JSON. Absent keys take each reader's documented default. */
final class ConfigLoader {

  private ConfigLoader() {
  }

  static JsonObject load(String conf) throws IOException {
    if (conf == null || conf.isBlank()) {
      return new JsonObject();
    }
    String text = conf.trim().startsWith("{") ? conf : Files.readString(Path.of(conf), StandardCharsets.UTF_8);
    try {
      return new JsonObject(text);
    } catch (DecodeException e) {
      throw new IllegalArgumentException("config is not a JSON object: " + conf, e);
    }
  }
}
