// ok: FT301, OP104
console.log("run: openai api fine_tunes.create -t x.jsonl -m curie");
// ruleid: FT205
await fetch("https://api.openai.com/v1/fine_tuning/jobs", { method: "POST" });
