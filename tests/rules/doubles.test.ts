// A test that mocks the SDK exercises a double: a note at most.
import OpenAI from "openai";
import { vi } from "vitest";
vi.mock("openai");
test("trains", async () => {
  const client = new OpenAI();
  // ruleid: FT201:note, FT206:note
  await client.fineTuning.jobs.create({ model: "gpt-4o-mini-2024-07-18", training_file: "file-abc" });
});
