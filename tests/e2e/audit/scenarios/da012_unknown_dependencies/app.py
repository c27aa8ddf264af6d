import altair as alt
import fastapi
import gradio as gr
import streamlit as st

api = fastapi.FastAPI()
chart = alt.Chart()
demo = gr.Interface(fn=lambda x: x, inputs="text", outputs="text")
st.write("ready")
