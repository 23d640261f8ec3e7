// A Go test with testify mocks: its SDK calls are notes at most.
package finetune

import (
	"testing"

	openai "github.com/sashabaranov/go-openai"
	"github.com/stretchr/testify/mock"
)

type clientMock struct{ mock.Mock }

func TestTrain(t *testing.T) {
	c := openai.NewClient("test")
	// ruleid: FT201:note, FT206:note
	c.CreateFineTuningJob(ctx, openai.FineTuningJobRequest{Model: "gpt-4o-mini", TrainingFile: "file-abc"})
}
