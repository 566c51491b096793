"""Drives the web player in a real browser (Debian's headless Chromium through
chromedriver and Selenium) against a running server, and prints what it saw as JSON
for ServerTests/BrowserTests to judge.

usage: browser_check.py BASE_URL [SCREENSHOT.png]"""
import base64
import http.server
import json
import sys
import threading
import time
import zlib
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import Select

base = sys.argv[1].rstrip("/")
shot = sys.argv[2] if len(sys.argv) > 2 else None
report = {}

options = Options()
for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--autoplay-policy=no-user-gesture-required",
             "--window-size=900,1400", "--mute-audio"]:
    options.add_argument(flag)
options.binary_location = "/usr/bin/chromium"
options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def wait(condition, seconds=60):
    end = time.time() + seconds
    while time.time() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    return None


def now(query):
    with urllib.request.urlopen(f"{base}/api/radio/now?{query}") as r:
        return json.load(r)


try:
    driver.get(base + "/")
    title = lambda: driver.find_element("id", "np-title").text
    # Now playing is shown before play is pressed.
    report["title_before_play"] = wait(lambda: title() if title() not in ("", "Tuning in…") else None)
    report["title_from_api"] = now("seed=0")["playing"]["title"]

    clicked = time.time()
    driver.find_element("id", "play").click()
    start = wait(lambda: driver.execute_script("return document.getElementById('audio').currentTime") or None, 60)
    report["play_latency"] = time.time() - clicked
    time.sleep(3)
    report["audio_started_at"] = start
    report["audio_time_after_3s"] = driver.execute_script("return document.getElementById('audio').currentTime")
    report["audio_paused"] = driver.execute_script("return document.getElementById('audio').paused")

    # A mood change switches the station and what is shown as playing.
    Select(driver.find_element("id", "mode")).select_by_value("minor")
    report["station"] = driver.find_element("id", "station").text
    report["audio_src"] = driver.execute_script("return document.getElementById('audio').src")
    minor = now("seed=0&mode=minor")["playing"]["title"]
    report["minor_title_from_api"] = minor
    report["title_after_mood_change"] = wait(lambda: title() if title() == minor else None)
    time.sleep(2)
    report["minor_audio_time"] = driver.execute_script("return document.getElementById('audio').currentTime")

    # A song from a seed, then a share link in the original player's format.
    driver.find_element("css selector", "#from-seed button").click()
    wait(lambda: driver.find_elements("css selector", "#playlist li"))
    report["playlist_after_seed"] = [li.text for li in driver.find_elements("css selector", "#playlist li")]
    driver.find_element("id", "share").click()
    link = wait(lambda: driver.find_element("id", "share-link").get_attribute("value"))
    report["share_link"] = link
    report["share_link_songs"] = json.loads(zlib.decompress(base64.b64decode(link.split("?", 1)[1])))

    # A link made the way the original player makes one opens here.
    songs = [{"title": "Linked Song", "key": 3, "mode": 1, "bpm": 80, "energy": 0.5, "valence": 0.5,
              "chords": [1, 4, 5, 1], "melodies": [[1, 2, 3, 4, 5, 6, 7, 8]] * 4}]
    packed = base64.b64encode(zlib.compress(json.dumps(songs).encode())).decode()
    driver.get(f"{base}/?{packed}")
    report["imported"] = wait(lambda: [li.text for li in driver.find_elements("css selector", "#playlist li")])
    report["url_after_import"] = driver.current_url
    if shot:
        Select(driver.find_element("id", "mode")).select_by_value("")
        wait(lambda: title() == report["title_from_api"] and title())
        driver.save_screenshot(shot)
    report["console"] = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]

    # The original web client's request, from a page on another origin, exactly as its
    # client/src/api.ts makes it: fetch(server + '/decode?input=' + JSON.stringify(list)),
    # then response.json(), then JSON.parse.
    class Blank(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"<!doctype html><title>other origin</title>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    other = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Blank)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    driver.get(f"http://127.0.0.1:{other.server_address[1]}/")
    latent = [((i * 37) % 19 - 9) / 7 for i in range(100)]
    client = """
      const [server, list, done] = arguments;
      fetch(server + '/decode?input=' + JSON.stringify(list))
        .then((response) => response.json())
        .then((response) => JSON.parse(response))
        .then((song) => done({ song, origin: location.origin }))
        .catch((e) => done({ error: String(e) }));
    """
    report["original_client"] = driver.execute_async_script(client, base, latent)
    with urllib.request.urlopen(f"{base}/decode?input={urllib.parse.quote(json.dumps(latent))}") as r:
        report["original_client_expected"] = json.loads(json.load(r))
    # Bad input reaches the other origin's script as a readable 400, not a network error.
    report["original_client_error"] = driver.execute_async_script("""
      const [server, done] = arguments;
      fetch(server + '/decode?input=[1,2').then(async (r) => done({ status: r.status, body: await r.json() }))
        .catch((e) => done({ error: String(e) }));
    """, base)
    other.shutdown()
finally:
    driver.quit()

print(json.dumps(report))
