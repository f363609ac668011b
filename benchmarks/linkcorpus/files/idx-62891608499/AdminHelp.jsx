								<li>Скопируй ссылку и найди ID файла (строка между /d/ и /view)</li>
								<li>
									Составь прямую ссылку:{' '}
									<code>https://drive.google.com/uc?export=view&amp;id=ТВОЙ_ID</code>
								</li>
