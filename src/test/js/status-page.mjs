// Loads the admin status page in headless chromium, waits for two polls and for a connections chart of three points,
// prints what the page shows as JSON and saves a screenshot. Usage: node status-page.mjs <adminUrl> <screenshot.png>
import { chromium } from "playwright-core";

const [url, screenshot] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 700 } });
  const errors = [];
  page.on("pageerror", e => errors.push(String(e)));
  await page.goto(url + "?interval=500");
  await page.waitForFunction(() => Number(document.body.dataset.polls || 0) >= 2, null, { timeout: 20000 });
  await page.waitForFunction(() => Number(document.getElementById("chart-connections").dataset.points || 0) >= 3, null, { timeout: 20000 });
  const shown = await page.evaluate(() => {
    const text = id => document.getElementById(id).textContent;
    const rows = tableId => Object.fromEntries([...document.querySelectorAll("#" + tableId + " tbody tr")].map(tr =>
      [tr.dataset.key, Object.fromEntries([...tr.children].map(td => [td.dataset.field, td.textContent]))]));
    // Each chart: how many points it drew, its paths' series, its legend ("name last-value") and any text it shows.
    const charts = Object.fromEntries([...document.querySelectorAll(".chart svg")].map(svg => [svg.id.replace("chart-", ""), {
      points: Number(svg.dataset.points || 0),
      paths: [...svg.querySelectorAll("path")].map(path => path.dataset.series),
      legend: [...svg.parentElement.querySelectorAll(".legend span")].map(span => span.textContent),
      text: [...svg.querySelectorAll("text")].map(t => t.textContent),
    }]));
    return {
      charts,
      nodeId: text("node-id"), connections: text("connections"), subscriptions: text("subscriptions"),
      events: text("events"), updatesPerSecond: text("updates-per-second"), error: text("error"),
      plugins: rows("plugins"), instances: rows("instances"), members: rows("members"), scrapeTargets: rows("scrape-targets"),
    };
  });
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(JSON.stringify({ shown, errors }));
} finally {
  await browser.close();
}
