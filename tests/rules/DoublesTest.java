// A JUnit test with Mockito: its SDK calls are notes at most.
import static org.mockito.Mockito.mock;
import com.openai.client.OpenAIClient;

class DoublesTest {
    void trains() {
        OpenAIClient client = mock(OpenAIClient.class);
        // ruleid: FT201:note, FT206:note
        client.fineTuning().jobs().create(JobCreateParams.builder().model("gpt-4o-mini").trainingFile("file-abc").build());
    }
}
