import { createWriteStream } from "node:fs";
import { once } from "node:events";

/** Deterministic pseudo-random numbers (mulberry32), so every run loads the same data. */
export function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function writeLines(path, header, count, line) {
  const out = createWriteStream(path);
  out.write(`${header}\n`);
  let chunk = "";
  for (let i = 0; i < count; i++) {
    chunk += line(i) + "\n";
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, "drain");
      chunk = "";
    }
  }
  out.end(chunk);
  await once(out, "finish");
}

const NAMES = ["Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Margaret", "Ken", "Frances", "John"];

/** N persons (id, name, email, age, born, score). */
export async function generatePersons(path, count, seed) {
  const next = random(seed);
  await writeLines(path, "id,name,email,age,born,score", count, (i) => {
    const name = `${NAMES[Math.floor(next() * NAMES.length)]} ${i}`;
    const year = 1940 + Math.floor(next() * 60);
    const month = String(1 + Math.floor(next() * 12)).padStart(2, "0");
    const day = String(1 + Math.floor(next() * 28)).padStart(2, "0");
    return `${i},${name},person${i}@example.org,${2025 - year},${year}-${month}-${day},${(next() * 100).toFixed(3)}`;
  });
}

/** M KNOWS rows (from, to, since) between persons 0..N-1. */
export async function generateKnows(path, persons, count, seed) {
  const next = random(seed ^ 0x5eed);
  await writeLines(path, "from,to,since", count, () => {
    const from = Math.floor(next() * persons);
    const to = Math.floor(next() * persons);
    return `${from},${to},${1990 + Math.floor(next() * 35)}`;
  });
}
