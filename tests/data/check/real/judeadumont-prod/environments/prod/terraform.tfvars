project="example-project-000000"
toggleforbuild="0"