// Go: go-openai (sashabaranov) and the official openai-go, and what only looks like them.
package training

import (
	"context"

	goopenai "github.com/sashabaranov/go-openai"
	"github.com/openai/openai-go/v3"
)

type Trainer struct{ client *goopenai.Client }

func (t *Trainer) Train(ctx context.Context, path string) (string, error) {
	// ruleid: FT203
	file, err := t.client.CreateFile(ctx, goopenai.FileRequest{FilePath: path, Purpose: string(goopenai.PurposeFineTune)})
	if err != nil {
		return "", err
	}
	// ruleid: FT201:warning, FT206:warning
	job, err := t.client.CreateFineTuningJob(ctx, goopenai.FineTuningJobRequest{TrainingFile: file.ID, Model: "gpt-4o-mini-2024-07-18"})
	// ruleid: FT202:note
	_, _ = t.client.RetrieveFineTuningJob(ctx, job.ID)
	// ruleid: FT301:error
	_, _ = t.client.CreateFineTune(ctx, goopenai.FineTuneRequest{TrainingFile: file.ID, Model: "curie"})
	// ok: FT203
	_, _ = t.client.CreateFile(ctx, goopenai.FileRequest{FilePath: path, Purpose: "assistants"})
	return job.ID, err
}

func Official(ctx context.Context, client openai.Client, data io.Reader) {
	// ruleid: FT203
	file, _ := client.Files.New(ctx, openai.FileNewParams{File: data, Purpose: openai.FilePurposeFineTune})
	// ruleid: FT201:warning, FT206:error
	client.FineTuning.Jobs.New(ctx, openai.FineTuningJobNewParams{Model: openai.FineTuningJobNewParamsModelGPT3_5Turbo, TrainingFile: file.ID})
	params := openai.FineTuningJobNewParams{Model: "gpt-4.1-nano-2025-04-14", TrainingFile: file.ID}
	// ruleid: FT201:warning, FT206:error
	client.FineTuning.Jobs.New(ctx, params)
	// ruleid: FT202:note
	client.FineTuning.Jobs.Cancel(ctx, "ftjob-abc")
}

// The application's own method named like the SDK's: calling it is not a call to OpenAI.
func (t *Trainer) CreateFineTuningJob(name string) string { return name }

func UseOwn(t *Trainer) {
	// ok: FT201
	t.CreateFineTuningJob("nightly")
}
