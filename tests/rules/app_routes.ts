// ok: FT301
const res = await fetch("/api/fine-tunes/" + id);
// ok: FT205
app.post("/v1/fine_tuning/jobs", (req, res) => res.json(proxy(req.body)));
// ruleid: FT205:warning
await fetch("https://api.openai.com/v1/fine_tuning/jobs", { method: "POST" });
