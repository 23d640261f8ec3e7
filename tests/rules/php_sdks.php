<?php
// PHP: openai-php/client and its Laravel facade.
use OpenAI;

$client = OpenAI::client(getenv('OPENAI_API_KEY'));
// ruleid: FT203
$file = $client->files()->upload(['purpose' => 'fine-tune', 'file' => fopen('train.jsonl', 'r')]);
// ruleid: FT201:warning, FT206:warning
$job = $client->fineTuning()->createJob(['training_file' => $file->id, 'model' => 'gpt-4o-2024-08-06']);
// ruleid: FT202:note
$client->fineTuning()->retrieveJob($job->id);
// ruleid: FT301:error
$client->fineTunes()->create(['training_file' => $file->id, 'model' => 'curie']);
// ok: FT203
$client->files()->upload(['purpose' => 'assistants', 'file' => fopen('doc.pdf', 'r')]);
// ruleid: FT201:warning, FT206:warning
OpenAI::fineTuning()->createJob(['training_file' => 'file-abc', 'model' => 'gpt-4o-mini-2024-07-18']);
