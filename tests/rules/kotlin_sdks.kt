// Kotlin: aallam's openai-kotlin, and the official Java SDK called from Kotlin.
import com.aallam.openai.client.OpenAI
import com.openai.models.finetuning.jobs.JobCreateParams

suspend fun train(openAI: OpenAI, fileId: String) {
    // ruleid: FT203
    val file = openAI.file(request = FileUpload(file = source, purpose = Purpose("fine-tune")))
    // ruleid: FT201:warning, FT206:warning
    val job = openAI.fineTuningJob(request = FineTuningRequest(trainingFile = FileId(fileId), model = ModelId("gpt-4o-mini")))
    // ok: FT201
    val again = openAI.fineTuningJob(id = job.id)
    // ruleid: FT202:note
    val jobs = openAI.fineTuningJobs(limit = 10)
}

fun official(client: com.openai.client.OpenAIClient) {
    // ruleid: FT201:warning, FT206:warning
    client.fineTuning().jobs().create(JobCreateParams.builder().model("gpt-4.1-mini-2025-04-14").trainingFile("file-abc").build())
}
