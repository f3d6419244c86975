package testkit;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads samples out of a Prometheus text exposition, as tests assert on them. */
public final class PrometheusText {

  private PrometheusText() {
  }

  /** The value of one sample, series written exactly as exposed (labels sorted by name); fails when absent. */
  public static double sample(String metrics, String series) {
    Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
    if (!matcher.find()) {
      throw new AssertionError("no sample " + series + " in:\n" + metrics);
    }
    return Double.parseDouble(matcher.group(1));
  }

  /** Whether any series of {@code name} is exposed. */
  public static boolean has(String metrics, String name) {
    return Pattern.compile("(?m)^" + Pattern.quote(name) + "[{ ]").matcher(metrics).find();
  }
}
