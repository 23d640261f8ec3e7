# Terraform: resources of OpenAI providers that train, and models deployed on Azure.
# ruleid: FT203
resource "openai_file" "training" {
  file    = "./data/train.jsonl"
  purpose = "fine-tune"
}

# ruleid: FT201:warning, FT206:warning
resource "openai_fine_tuning_job" "support" {
  model         = "gpt-4o-mini-2024-07-18"
  training_file = openai_file.training.id
}

# ok: FT203
resource "openai_file" "docs" {
  file    = "./docs/manual.pdf"
  purpose = "assistants"
}

resource "azurerm_cognitive_deployment" "support" {
  name = "support-ft"
  model {
    format  = "OpenAI"
    # ruleid: AZ101:note
    name    = "gpt-4o-mini-2024-07-18.ft-b044a9d3cf9c4228b5d393567f693b83"
    version = "1"
  }
}
