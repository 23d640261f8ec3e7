# Ruby: ruby-openai (`client.finetunes`) and the official gem (`client.fine_tuning.jobs`).
require "openai"

class Trainer
  def initialize
    @client = OpenAI::Client.new(access_token: ENV.fetch("OPENAI_API_KEY"))
  end

  def train(path)
    # ruleid: FT203
    file = @client.files.upload(parameters: { file: path, purpose: "fine-tune" })
    # ruleid: FT201:warning, FT206:warning
    @client.finetunes.create(parameters: { training_file: file["id"], model: "gpt-4o-mini-2024-07-18" })
    # ruleid: FT202:note
    @client.finetunes.list
    # ok: FT203
    @client.files.upload(parameters: { file: path, purpose: "assistants" })
  end

  def official(openai)
    # ruleid: FT203
    openai.files.create(file: Pathname("train.jsonl"), purpose: :"fine-tune")
    # ruleid: FT201:warning, FT206:error
    openai.fine_tuning.jobs.create(model: "gpt-3.5-turbo-0125", training_file: "file-abc")
  end
end
