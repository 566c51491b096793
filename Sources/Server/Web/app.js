// The radio page: plain script, no libraries, talks to the server's own API.
'use strict';

const $ = (id) => document.getElementById(id);
const audio = $('audio');
const playlist = [];
let playing = false;

/** The station the mood controls tune, as the radio's query ("seed=0&mode=minor"). */
function station() {
  const params = new URLSearchParams({ seed: '0' });
  for (const name of ['energy', 'valence', 'mode']) {
    if ($(name).value) params.set(name, $(name).value);
  }
  if ($('tempo').value) params.set('bpm', $('tempo').value);
  return params.toString();
}

function trackLine(t) {
  return `${t.title} · ${t.key} ${t.mode} · ${Math.round(t.bpm)} bpm`;
}

async function refreshNow() {
  const tuned = station();
  try {
    const response = await fetch(`/api/radio/now?${tuned}`);
    const now = await response.json();
    if (tuned !== station()) return;   // the dial moved while we asked
    if (!response.ok) { $('np-title').textContent = now.error; return; }
    $('np-title').textContent = now.playing.title;
    $('np-key').textContent = `${now.playing.key} ${now.playing.mode}`;
    $('np-bpm').textContent = `· ${Math.round(now.playing.bpm)} bpm`;
    $('np-chords').textContent = now.playing.chords.join(' ');
    $('np-next').textContent = now.next ? trackLine(now.next) : '—';
  } catch (e) {
    $('np-title').textContent = 'The server does not answer.';
  }
}

function tune() {
  $('station').textContent = station();
  $('np-title').textContent = 'Tuning in…';
  refreshNow();
  if (playing) {
    audio.src = `/radio.mp3?${station()}`;
    audio.play();
  }
}

$('play').addEventListener('click', () => {
  if (playing) {
    audio.pause();
    audio.removeAttribute('src');
    audio.load();
    playing = false;
  } else {
    audio.src = `/radio.mp3?${station()}`;
    audio.volume = $('volume').valueAsNumber;
    audio.play();
    playing = true;
  }
  $('play').textContent = playing ? 'Pause' : 'Play';
  $('play').setAttribute('aria-pressed', String(playing));
});
$('volume').addEventListener('input', () => { audio.volume = $('volume').valueAsNumber; });
for (const name of ['energy', 'valence', 'tempo', 'mode']) $(name).addEventListener('change', tune);

// Songs made here, with their downloads.
function addToPlaylist(song) {
  playlist.push(song);
  const item = document.createElement('li');
  item.textContent = song.title;
  const links = [['WAV', 'wav'], ['MIDI', 'mid'], ['JSON', 'json']];
  for (const [label, format] of links) {
    const a = document.createElement('a');
    a.href = '#';
    a.textContent = label;
    a.setAttribute('aria-label', `Download ${song.title} as ${label}`);
    a.addEventListener('click', (e) => { e.preventDefault(); download(song, format); });
    item.appendChild(a);
  }
  $('playlist').appendChild(item);
}

async function download(song, format) {
  let blob;
  if (format === 'json') {
    blob = new Blob([JSON.stringify(song, null, 2)], { type: 'application/json' });
  } else {
    $('status').textContent = `Rendering ${song.title}…`;
    const response = await fetch(`/api/render?format=${format}`, { method: 'POST', body: JSON.stringify(song) });
    if (!response.ok) { $('status').textContent = (await response.json()).error; return; }
    blob = await response.blob();
    $('status').textContent = '';
  }
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `${song.title}.${format}`;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

async function make(path, body, type) {
  $('status').textContent = 'Writing…';
  const response = await fetch(path, { method: 'POST', body, headers: { 'Content-Type': type } });
  const answer = await response.json();
  if (!response.ok) { $('status').textContent = answer.error; return; }
  $('status').textContent = '';
  for (const song of Array.isArray(answer) ? answer : [answer]) addToPlaylist(song);
}

$('from-words').addEventListener('submit', (e) => {
  e.preventDefault();
  make('/api/lyrics', $('words').value, 'text/plain');
});
$('from-seed').addEventListener('submit', (e) => {
  e.preventDefault();
  make('/api/songs', JSON.stringify({ seed: Math.max(0, Math.floor($('seed').valueAsNumber || 0)), count: 1 }), 'application/json');
});

// Share links in the original Lofi player's format: "?" + base64 of the zlib-deflated
// JSON array of its eight song fields.
const fields = ['title', 'key', 'mode', 'bpm', 'energy', 'valence', 'chords', 'melodies'];

async function piped(bytes, stream) {
  return new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(stream)).arrayBuffer());
}

async function shareLink(songs) {
  const json = JSON.stringify(songs.map((s) => Object.fromEntries(fields.map((f) => [f, s[f]]))));
  const packed = await piped(new TextEncoder().encode(json), new CompressionStream('deflate'));
  let text = '';
  for (const b of packed) text += String.fromCharCode(b);
  return `${location.origin}/?${btoa(text)}`;
}

async function openLink(query) {
  const bytes = Uint8Array.from(atob(query), (c) => c.charCodeAt(0));
  const json = new TextDecoder().decode(await piped(bytes, new DecompressionStream('deflate')));
  return JSON.parse(json);
}

$('share').addEventListener('click', async () => {
  $('share-link').value = await shareLink(playlist);
  $('share-link').select();
});

async function importFromLink() {
  const query = location.search.substring(1);
  if (!query) return;
  try {
    for (const song of await openLink(decodeURIComponent(query))) addToPlaylist(song);
  } catch (e) {
    $('status').textContent = 'The link holds no playlist.';
  }
  history.replaceState(null, '', location.pathname);
}

importFromLink();
$('station').textContent = station();
refreshNow();
setInterval(refreshNow, 5000);
