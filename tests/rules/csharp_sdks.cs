// C#: the official OpenAI package, Betalgo's, and OpenAI-DotNet; Azure's client is not OpenAI's.
using OpenAI;
using OpenAI.Files;
using OpenAI.FineTuning;

class Trainer
{
    private readonly FineTuningClient _fineTuning;

    async Task Official(OpenAIClient client, string path)
    {
        OpenAIFileClient files = client.GetOpenAIFileClient();
        // ruleid: FT203
        OpenAIFile file = await files.UploadFileAsync(path, FileUploadPurpose.FineTune);
        FineTuningClient fineTuning = client.GetFineTuningClient();
        // ruleid: FT201:warning, FT206:warning
        FineTuningJob job = await fineTuning.FineTuneAsync("gpt-4o-mini-2024-07-18", file.Id, waitUntilCompleted: false);
        // ruleid: FT201:warning, FT206:warning
        await _fineTuning.FineTuneAsync(baseModel: "gpt-4.1-2025-04-14", trainingFileId: file.Id, waitUntilCompleted: false);
        // ruleid: FT202:note
        fineTuning.GetJobs();
    }

    async Task Betalgo(OpenAIService sdk, string fileId)
    {
        // ruleid: FT201:warning, FT206:error
        await sdk.FineTuningJob.CreateFineTuningJob(new FineTuningJobCreateRequest { TrainingFile = fileId, Model = "gpt-3.5-turbo-0125" });
    }

    async Task Community(OpenAIClient api, string path)
    {
        // ruleid: FT203
        await api.FilesEndpoint.UploadFileAsync(path, FilePurpose.FineTune);
        // ruleid: FT201:warning
        await api.FineTuningEndpoint.CreateJobAsync(new CreateFineTuneJobRequest(Model.GPT4o, "file-abc"));
    }
}
