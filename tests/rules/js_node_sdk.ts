// as-of: 2026-11-22
import OpenAI, { AzureOpenAI as Azure } from "openai";
import * as sdk from "openai";
import type { FineTuningJob } from "openai/resources/fine-tuning/jobs";
import { client as shared } from "./client";

const openai = new OpenAI();
const other = new OpenAI({ baseURL: "https://api.together.xyz/v1" });
const azure = new Azure({ endpoint: "https://northwind.openai.azure.com" });

export class Trainer {
  private readonly client: OpenAI;

  constructor() {
    this.client = new sdk.OpenAI();
  }

  async run(file: string) {
    // ruleid: FT201:warning, FT206:warning
    const job = await this.client.fineTuning.jobs.create({ model: "gpt-4o-mini-2024-07-18", training_file: file });
    // ruleid: FT202:note
    await this.client.fineTuning.jobs.pause(job.id);
    // ruleid: FT202:note
    await this.client.fineTuning.jobs.resume(job.id);
    // ruleid: FT202:note
    await this.client.fineTuning.jobs.cancel(job.id);
    // ruleid: FT202:note
    await this.client.fineTuning.checkpoints.permissions.create("ckpt", { project_ids: [] });
    // ruleid: FT204:warning
    await this.client.fineTuning.alpha.graders.run({ grader: {}, model_sample: "x" });
    return job as FineTuningJob;
  }
}

// ruleid: FT203:warning
await openai.uploads.create({ bytes: 1, filename: "train.jsonl", mime_type: "text/jsonl", purpose: "fine-tune" });
// ok: FT203
await openai.files.create({ file: "batch.jsonl", purpose: "batch" });
// ruleid: FT202:note
await openai.withOptions({ timeout: 5 }).fineTuning.jobs.list({ limit: 10 });
// ruleid: FT202:note
const { data, response } = await openai.fineTuning.jobs.list().withResponse();
// ruleid: FT201:warning, FT206:error
await shared.fineTuning.jobs.create({ model: "gpt-4.1-nano-2025-04-14", training_file: "file-abc" });
// ok: FT201
await other.fineTuning.jobs.create({ model: "gpt-4o-mini-2024-07-18", training_file: "file-abc" });
// ok: FT201, FT206
// ruleid: AZ201:note, AZ206:note
await azure.fineTuning.jobs.create({ model: "gpt-4o-mini-2024-07-18", training_file: "file-abc" });
// ruleid: OP101:error
const thread = await openai.beta.threads.create();
// ruleid: OP102:error
await openai.images.generate({ model: "dall-e-2", prompt: "a lighthouse" });
// ruleid: FT101:error
await openai.responses.create({ model: "ft:o4-mini-2025-04-16:northwind:grader:Zp3Qw8Ls", input: "hi" });
// ruleid: FT105:warning
await openai.embeddings.create({ model: job.fine_tuned_model, input: "x" });
// ok: FT201
await prisma.fineTuningJobs.create({ data: { name: "x" } });
// ruleid: FT104:note
// const demo = "ft:gpt-4o-mini-2024-07-18:my-org:custom:id";
// ruleid: FT105:warning
await openai.chat.completions.create({ model: job?.fine_tuned_model ?? "gpt-4o", messages: [] });
// ok: FT105
await openai.chat.completions.create({ model: job.not_fine_tuned_model, messages: [] });
// ruleid: FT301:error
await openai.fineTunes.create({ training_file: "file-abc", model: "davinci" });
// ruleid: FT301:error
for await (const event of openai.fineTunes.listEvents("ft-abc")) console.log(event);
