import imp

import gradio
import yaml

print(imp, gradio, yaml)
