// as-of: 2026-11-22
const { Configuration, OpenAIApi } = require("openai");
const api = require("./api");

const openai = new OpenAIApi(new Configuration({ apiKey: process.env.OPENAI_API_KEY }));

async function legacy(stream) {
  // ruleid: FT203:warning
  const file = await openai.createFile(stream, "fine-tune");
  // ok: FT203
  await openai.createFile(stream, "answers");
  // ruleid: FT301:error
  await openai.createFineTune({ training_file: file.data.id, model: "davinci" });
  // ruleid: FT301:error
  await openai.cancelFineTune("ft-abc");
  // ruleid: FT301:error
  await openai.listFineTuneEvents("ft-abc");
  // ruleid: FT201:warning, FT206:error
  await openai.createFineTuningJob({ training_file: "file-abc", model: "gpt-3.5-turbo" });
  // ruleid: FT202:note
  await openai.listFineTuningJobs();
  // ruleid: FT301:error
  await api.openai.createFineTune({ training_file: "file-abc" });
  // ruleid: FT102:error
  return openai.createCompletion({ model: "davinci:ft-northwind-2023-01-02-03-04-05", prompt: "Q:" });
}

module.exports = { legacy };

// A v3 client used with v4-style resources is still a job.
// ruleid: FT201:warning, FT206:error
await openai.fineTuning.jobs.create({ training_file: "file-abc", model: "gpt-3.5-turbo" });
