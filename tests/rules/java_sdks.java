// Java: the official openai-java and TheoKanning's client.
import com.openai.client.OpenAIClient;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FilePurpose;
import com.openai.models.finetuning.jobs.JobCreateParams;
import com.theokanning.openai.service.OpenAiService;

class Trainer {
    void official(OpenAIClient client, String fileId) {
        FileCreateParams upload = FileCreateParams.builder().file(path).purpose(FilePurpose.FINE_TUNE).build();
        // ruleid: FT203
        client.files().create(upload);
        // ruleid: FT201:warning, FT206:warning
        client.fineTuning().jobs().create(JobCreateParams.builder().model("gpt-4o-mini-2024-07-18").trainingFile(fileId).build());
        // ruleid: FT201:warning, FT206:error
        client.async().fineTuning().jobs().create(JobCreateParams.builder().model(JobCreateParams.Model.GPT_3_5_TURBO).trainingFile(fileId).build());
        // ruleid: FT202:note
        client.fineTuning().jobs().list();
        // ok: FT203
        client.files().create(FileCreateParams.builder().purpose(FilePurpose.ASSISTANTS).build());
    }

    void community(OpenAiService service, String path) {
        // ruleid: FT203
        service.uploadFile("fine-tune", path);
        FineTuningJobRequest request = FineTuningJobRequest.builder().trainingFile("file-abc").model("gpt-4o-2024-08-06").build();
        // ruleid: FT201:warning, FT206:warning
        service.createFineTuningJob(request);
        // ruleid: FT301:error
        service.createFineTune(FineTuneRequest.builder().trainingFile("file-abc").model("davinci").build());
    }
}
